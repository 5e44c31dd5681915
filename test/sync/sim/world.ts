/**
 * Two simulated systems for the model checker: a Salesforce record and a Procore project, each with its own clock
 * (whole seconds, skewed), change events in transit, and the bookkeeping the oracle needs: every person's edit,
 * which edits it knowingly replaced, and which losses fall in the windows docs/sync-semantics.md admits.
 */
import type { ProcoreProjectRecord } from '../../../activities/procore/types';
import type { SalesforceProjectRecord } from '../../../activities/salesforce/types';
import type { ConflictPolicy, ProjectMapping, Side } from '../../../mappings/types';
import type { ProcoreChange, SalesforceChange } from '../../../workflows/project-sync/messages';

export const SALESFORCE_ID = 'a0X000000000001AAA';
export const PROCORE_ID = '562949953500001';
export const FIELDS = ['name', 'city', 'description'] as const;
export type FieldName = (typeof FIELDS)[number];
const SALESFORCE_NAMES: Record<FieldName, string> = { name: 'Name', city: 'City__c', description: 'Description__c' };

export function simMapping(
  conflictPolicy: ConflictPolicy,
  overrides: Partial<Record<FieldName, ConflictPolicy>> = {},
): ProjectMapping {
  return {
    salesforceObject: 'Project__c',
    conflictPolicy,
    fields: FIELDS.map((name) => ({
      name,
      salesforce: SALESFORCE_NAMES[name],
      procore: name,
      type: 'text' as const,
      direction: 'both' as const,
      conflict: overrides[name],
    })),
    lookups: {},
  };
}

export interface PersonEdit {
  id: number;
  side: Side;
  field: FieldName;
  value: string;
  real: number;
  /** The editing system's own time of the edit, whole seconds. */
  at: number;
  /** The edit whose value the system showed when this one was made, directly or through Tandem's write. */
  overwrote: { edit: number; attempt: number | null } | null;
}

interface Origin {
  edit: number | null;
  /** The attempt of Tandem's write that put the value here; null for a person's edit. */
  attempt: number | null;
}

interface Held {
  value: string | null;
  origin: Origin;
}

export interface InTransit<T> {
  event: T;
  duplicated: boolean;
}

export class SimSystem {
  readonly fields: Record<FieldName, Held>;
  modifiedAt: number;
  writes = 0;

  constructor(
    readonly side: Side,
    at: number,
  ) {
    this.fields = Object.fromEntries(
      FIELDS.map((f) => [f, { value: `init-${f}`, origin: { edit: null, attempt: null } }]),
    ) as Record<FieldName, Held>;
    this.modifiedAt = at;
  }

  values(): Record<FieldName, string | null> {
    return Object.fromEntries(FIELDS.map((f) => [f, this.fields[f].value])) as Record<FieldName, string | null>;
  }
}

export class World {
  real: number;
  readonly edits: PersonEdit[] = [];
  readonly excused = new Set<number>();
  /**
   * What Tandem knows landed: `attempt` when that write's answer reached it, `attempt:side:field` when a read showed
   * that field still holding the attempt's value.
   */
  readonly answered = new Set<string>();
  /** The operation each attempt belongs to: Temporal's retries of one activity share it. */
  private readonly operationOf = new Map<number, number>();
  /** Each field a write of Tandem's changed: by which attempt, and how many person edits had been made by then. */
  private readonly overwrites: Array<{ attempt: number; side: Side; field: FieldName; afterEdits: number }> = [];
  readonly salesforce: SimSystem;
  readonly procore: SimSystem;
  readonly salesforceEvents: InTransit<SalesforceChange>[] = [];
  readonly procoreEvents: InTransit<ProcoreChange>[] = [];
  private replayId = 0;
  private eventSeq = 0;

  constructor(
    start: number,
    readonly skew: Record<Side, number>,
  ) {
    this.real = start;
    this.salesforce = new SimSystem('salesforce', this.second('salesforce'));
    this.procore = new SimSystem('procore', this.second('procore'));
  }

  system(side: Side): SimSystem {
    return side === 'salesforce' ? this.salesforce : this.procore;
  }

  /** The system's clock now, truncated to the second as both APIs report it. */
  second(side: Side): number {
    return Math.floor((this.real + this.skew[side]) / 1000) * 1000;
  }

  personEdit(side: Side, field: FieldName): PersonEdit {
    const system = this.system(side);
    const id = this.edits.length + 1;
    const shown = system.fields[field].origin;
    const overwrote = shown.edit === null ? null : { edit: shown.edit, attempt: shown.attempt };
    const edit: PersonEdit = {
      id,
      side,
      field,
      value: `${side === 'salesforce' ? 's' : 'p'}${id}`,
      real: this.real,
      at: this.second(side),
      overwrote,
    };
    this.edits.push(edit);
    system.fields[field] = { value: edit.value, origin: { edit: id, attempt: null } };
    system.modifiedAt = this.second(side);
    this.emit(side, { [field]: edit.value }, false);
    return edit;
  }

  /**
   * Whether `later` knowingly replaced `earlier`: it is a later edit on the same system, or it overwrote `earlier`
   * (or something that did) after Tandem carried it across. Overwriting a value Tandem
   * wrote counts only if that write's answer reached Tandem and no retry of it landed on top of the person's edit;
   * otherwise the person's edit and the value are concurrent.
   */
  replaces(later: PersonEdit, earlier: PersonEdit): boolean {
    // On one system, a later edit of the field is simply its newer value.
    if (later.side === earlier.side && later.field === earlier.field && later.id > earlier.id) return true;
    for (let link = later.overwrote, on = later; link; on = this.edits[link.edit - 1], link = on.overwrote) {
      const known =
        link.attempt === null ||
        this.answered.has(String(link.attempt)) ||
        this.answered.has(`${link.attempt}:${on.side}:${on.field}`);
      if (!known || (link.attempt !== null && this.rewroteAfter(link.attempt, on))) return false;
      if (link.edit === earlier.id) return true;
    }
    return false;
  }

  attemptOf(attempt: number, operation: number): void {
    this.operationOf.set(attempt, operation);
  }

  /** Whether an attempt of the write that made `attempt` changed the field of `edit` after the person made it. */
  private rewroteAfter(attempt: number, edit: PersonEdit): boolean {
    const operation = this.operationOf.get(attempt);
    return this.overwrites.some(
      (w) =>
        this.operationOf.get(w.attempt) === operation &&
        w.side === edit.side &&
        w.field === edit.field &&
        w.afterEdits >= edit.id,
    );
  }

  /** Tandem's write lands: values change, the clock stamps it, the system emits its change event. */
  tandemWrite(side: Side, values: Partial<Record<FieldName, string | null>>, attempt: number): void {
    const system = this.system(side);
    const changed: Partial<Record<FieldName, string | null>> = {};
    for (const [name, value] of Object.entries(values) as [FieldName, string | null][]) {
      if (system.fields[name].value === value) continue;
      changed[name] = value;
      system.fields[name] = { value, origin: { edit: this.editOf(value), attempt } };
      this.overwrites.push({ attempt, side, field: name, afterEdits: this.edits.length });
    }
    system.modifiedAt = this.second(side);
    system.writes++;
    this.emit(side, changed, true);
  }

  /** A loss inside a window the semantics admit: the edit may be overwritten without counting as lost. */
  excuse(side: Side, field: FieldName, unless: (edit: PersonEdit) => boolean): void {
    const origin = this.system(side).fields[field].origin;
    if (origin.edit === null || origin.attempt !== null) return;
    const edit = this.edits[origin.edit - 1];
    if (!unless(edit)) this.excused.add(edit.id);
  }

  readSalesforce(): SalesforceProjectRecord {
    const fields: Record<string, unknown> = { Id: SALESFORCE_ID, Procore_ID__c: PROCORE_ID };
    for (const f of FIELDS) fields[SALESFORCE_NAMES[f]] = this.salesforce.fields[f].value;
    return { id: SALESFORCE_ID, status: 'live', fields, lastModifiedAt: this.salesforce.modifiedAt };
  }

  readProcore(): ProcoreProjectRecord {
    const fields: Record<string, unknown> = { id: PROCORE_ID, origin_id: SALESFORCE_ID, ...this.procore.values() };
    return { id: PROCORE_ID, originId: SALESFORCE_ID, active: true, updatedAt: this.procore.modifiedAt, fields };
  }

  salesforceName(field: FieldName): string {
    return SALESFORCE_NAMES[field];
  }

  private editOf(value: string | null): number | null {
    return this.edits.find((e) => e.value === value)?.id ?? null;
  }

  private emit(side: Side, changed: Partial<Record<FieldName, string | null>>, byTandem: boolean): void {
    const n = ++this.eventSeq;
    if (side === 'salesforce') {
      const fields: Record<string, unknown> = { LastModifiedDate: new Date(this.salesforce.modifiedAt).toISOString() };
      for (const [name, value] of Object.entries(changed)) fields[SALESFORCE_NAMES[name as FieldName]] = value;
      const replayId = ++this.replayId;
      const event: SalesforceChange = {
        eventId: `tx${n}:0:${SALESFORCE_ID}`,
        changeType: 'UPDATE',
        commitTimestamp: this.salesforce.modifiedAt,
        madeByTandem: byTandem,
        fields,
        replayId,
      };
      this.salesforceEvents.push({ event, duplicated: false });
      return;
    }
    const event: ProcoreChange = {
      eventId: `ulid-${n}`,
      eventType: 'update',
      procoreProjectId: PROCORE_ID,
      timestamp: new Date(this.procore.modifiedAt).toISOString(),
      madeByTandem: byTandem,
    };
    this.procoreEvents.push({ event, duplicated: false });
  }
}
