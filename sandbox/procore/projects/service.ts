/**
 * Project business rules, shared by the REST API and the console: required name, `origin_id` unique per company,
 * known type, stage and other references, a supported time zone, Procore's value normalisation. Every effective
 * change is announced to the listeners
 * (the webhook event source); a write that changes nothing is no change, as in Rails.
 */
import type { Company, ReferenceKind } from '../company';
import timeZones from '../data/time-zones.json';
import { ProcoreError, procoreErrors, type FieldErrors } from '../errors';
import { secondTimestamp } from '../ids';
import type { ProjectRecord, SandboxStore } from '../store';
import { parseOrThrow } from '../validation';
import { readApiDates } from './dates';
import { presentShow } from './present';
import { syncItemSchema, type ProjectAttributeName, type ProjectAttributes } from './schemas';

/** The identifiers the date-time page lists; anything else is a 422 ("must exactly match"). */
const TIME_ZONES: ReadonlySet<string> = new Set(timeZones);

/** Deprecated write names and the fields they mirror: a value sent under either name lands in the current one. */
const MIRRORED = [
  ['estimated_value', 'total_value'],
  ['estimated_start_date', 'start_date'],
  ['estimated_completion_date', 'completion_date'],
] as const;

const REFERENCES: ReadonlyArray<[ProjectAttributeName, ReferenceKind]> = [
  ['office_id', 'offices'],
  ['program_id', 'programs'],
  ['project_region_id', 'projectRegions'],
  ['project_bid_type_id', 'projectBidTypes'],
  ['project_owner_type_id', 'projectOwnerTypes'],
];

/** Who made a change: the API client (its client id) or a person in the console (no application). */
export interface Actor {
  userId: number;
  applicationId: string | null;
  operationId: string | null;
}

export interface ProjectChange {
  type: 'create' | 'update';
  project: ProjectRecord;
  actor: Actor;
}

export type ChangeListener = (change: ProjectChange) => void;

export interface SyncResult {
  entities: Record<string, unknown>[];
  errors: Record<string, unknown>[];
}

/** `1250000` and `"1250000"` both read back as `"1250000.0"`, the way Rails renders a decimal. */
function decimalString(value: number | string): string {
  const text = String(Number(value));
  return text.includes('.') || text.includes('e') ? text : `${text}.0`;
}

function normalise(attributes: ProjectAttributes): ProjectAttributes {
  const result: ProjectAttributes = { ...attributes };
  for (const [deprecated, current] of MIRRORED) {
    const value = result[deprecated];
    if (value !== undefined && result[current] === undefined) Object.assign(result, { [current]: value });
    delete result[deprecated];
  }
  if (result.total_value !== undefined && result.total_value !== null)
    result.total_value = decimalString(result.total_value);
  if (result.estimated_budget !== undefined && result.estimated_budget !== null)
    result.estimated_budget = Number(result.estimated_budget);
  return result;
}

/** Values are JSON (lists of department ids, the currency object too), so equal JSON is an equal value. */
function changedKeys(project: ProjectRecord, attributes: ProjectAttributes): ProjectAttributeName[] {
  return (Object.keys(attributes) as ProjectAttributeName[]).filter(
    (key) => JSON.stringify(project.attributes[key] ?? null) !== JSON.stringify(attributes[key] ?? null),
  );
}

export class ProjectService {
  private readonly listeners: ChangeListener[] = [];

  constructor(
    private readonly store: SandboxStore,
    private readonly company: Company,
  ) {}

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  find(id: number): ProjectRecord {
    const project = this.store.project(id);
    if (!project || project.company_id !== this.company.id) throw procoreErrors.NOT_FOUND();
    return project;
  }

  create(input: ProjectAttributes, actor: Actor): ProjectRecord {
    const attributes = normalise(input);
    this.validate(attributes, null);
    const now = secondTimestamp();
    const project: ProjectRecord = {
      id: this.store.nextId('projectId'),
      company_id: this.company.id,
      created_at: now,
      updated_at: now,
      created_by_user_id: actor.userId,
      attributes: { active: true, project_stage_id: this.company.defaultProjectStageId, ...attributes },
    };
    this.store.addProject(project);
    this.announce({ type: 'create', project, actor });
    return project;
  }

  update(project: ProjectRecord, input: ProjectAttributes, actor: Actor): ProjectRecord {
    const attributes = normalise(input);
    this.validate(attributes, project);
    const keys = changedKeys(project, attributes);
    if (keys.length === 0) return project;
    for (const key of keys) Object.assign(project.attributes, { [key]: attributes[key] });
    project.updated_at = secondTimestamp();
    this.store.changed();
    this.announce({ type: 'update', project, actor });
    return project;
  }

  /**
   * A project deleted for good, as Procore support does on a company's request (the API has no delete and
   * Projects offer no delete trigger, so no webhook is sent): from then on the API answers 404 for it.
   */
  remove(project: ProjectRecord): void {
    this.store.removeProject(project.id);
  }

  /** `PATCH /projects/sync`: per-item upsert by id or origin_id; failures are reported per item, never thrown. */
  sync(updates: readonly unknown[], actor: Actor): SyncResult {
    const result: SyncResult = { entities: [], errors: [] };
    for (const item of updates) {
      try {
        result.entities.push(presentShow(this.syncOne(item, actor), this.company));
      } catch (err) {
        if (!(err instanceof ProcoreError)) throw err;
        result.errors.push(syncError(item, err));
      }
    }
    return result;
  }

  private syncOne(item: unknown, actor: Actor): ProjectRecord {
    const { id, ...written } = parseOrThrow(syncItemSchema, item);
    const attributes = readApiDates(written);
    if (id !== undefined) {
      const project = this.store.project(id);
      if (!project) throw procoreErrors.UNPROCESSABLE({ id: ['Entity with this ID not found'] });
      return this.update(project, attributes, actor);
    }
    const existing = attributes.origin_id
      ? this.store.projectByOriginId(this.company.id, attributes.origin_id)
      : undefined;
    return existing ? this.update(existing, attributes, actor) : this.create(attributes, actor);
  }

  private validate(attributes: ProjectAttributes, current: ProjectRecord | null): void {
    const errors: FieldErrors = {};
    const name = attributes.name !== undefined ? attributes.name : current?.attributes.name;
    if (!name || name.trim() === '') errors.name = ["can't be blank"];
    if (attributes.origin_id && this.originTaken(attributes.origin_id, current))
      errors.origin_id = ['has already been taken'];
    if (attributes.project_type_id && !this.company.projectType(attributes.project_type_id))
      errors.project_type_id = ['does not exist'];
    if (attributes.project_stage_id && !this.company.projectStage(attributes.project_stage_id))
      errors.project_stage_id = ['does not exist'];
    const zone = attributes.time_zone;
    if (zone && !TIME_ZONES.has(zone)) errors.time_zone = ['is not included in the list'];
    this.validateReferences(attributes, current, errors);
    if (Object.keys(errors).length > 0) throw procoreErrors.UNPROCESSABLE(errors);
  }

  /** Ids must name something the company has; the sandbox has no template projects, so no template id is valid. */
  private validateReferences(attributes: ProjectAttributes, current: ProjectRecord | null, errors: FieldErrors): void {
    for (const [key, kind] of REFERENCES) {
      const id = attributes[key];
      if (typeof id === 'number' && !this.company.reference(kind, id)) errors[key] = ['does not exist'];
    }
    const unknownDepartment = attributes.department_ids?.find((id) => !this.company.reference('departments', id));
    if (unknownDepartment !== undefined) errors.department_ids = [`${unknownDepartment} does not exist`];
    const parent = attributes.parent_job_id;
    const parentMissing = parent === current?.id || this.store.project(parent ?? 0)?.company_id !== this.company.id;
    if (parent && parentMissing) errors.parent_job_id = ['does not exist'];
    if (attributes.project_template_id) errors.project_template_id = ['must be a template project'];
  }

  private originTaken(originId: string, current: ProjectRecord | null): boolean {
    const holder = this.store.projectByOriginId(this.company.id, originId);
    return holder !== undefined && holder.id !== current?.id;
  }

  private announce(change: ProjectChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

/** A sync error entry: the attributes the caller sent, plus Rails-style `errors`. */
function syncError(item: unknown, err: ProcoreError): Record<string, unknown> {
  const attributes = item !== null && typeof item === 'object' && !Array.isArray(item) ? item : {};
  const body = typeof err.body === 'object' ? err.body.errors : undefined;
  const errors = body !== null && typeof body === 'object' ? body : { base: [String(body ?? err.message)] };
  return { ...attributes, errors };
}
