/**
 * The sandbox's state and its persistence. Everything that must survive a restart (projects, webhook hooks,
 * triggers, deliveries, queued webhook events and the id counters) lives in one JSON document, written atomically
 * (temp file + rename) a moment after each change and on close, so a crash never leaves a half-written file.
 */
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import projectStages from './data/project-stages.json';
import projectTypes from './data/project-types.json';
import type { ProjectAttributes } from './projects/schemas';

export interface NamedRef {
  id: number;
  name: string;
}

export interface ProjectStage extends NamedRef {
  category: string;
  is_bidding_stage: boolean;
  is_concept_stage: boolean;
  readonly: boolean;
  default_stage: boolean;
  hideable: boolean;
  has_rfi_prefixes: boolean;
  project_stage_has_children: boolean;
}

export interface ProjectRecord {
  id: number;
  company_id: number;
  created_at: string;
  updated_at: string;
  created_by_user_id: number;
  attributes: ProjectAttributes;
}

export interface HookRecord {
  id: number;
  company_id: number;
  project_id: number | null;
  owned_by_user_id: number;
  api_version: string;
  namespace: string;
  destination_url: string;
  destination_headers: Record<string, string>;
  /** Set when its queue was discarded after repeated failures; an update of the hook turns delivery back on. */
  disabled?: boolean;
}

export type WebhookEventType = 'create' | 'update' | 'delete';

export interface TriggerRecord {
  id: number;
  webhook_hook_id: number;
  resource_name: string;
  event_type: WebhookEventType;
  company_id: number;
  project_id: number | null;
  user_id: number;
}

/** One change as Procore records it; `id` is a decimal string because it exceeds 2^53. */
export interface WebhookEvent {
  id: string;
  ulid: string;
  timestamp: string;
  user_id: number;
  company_id: number;
  project_id: number | null;
  event_type: WebhookEventType;
  resource_name: string;
  resource_id: number;
  metadata: {
    source_user_id: number;
    source_company_id: number;
    source_project_id: number | null;
    source_application_id: string | null;
    source_operation_id: string | null;
  };
}

export type DeliveryOutcome = 'ok' | 'retried' | 'failed' | 'discarded';

export interface DeliveryRecord {
  id: number;
  hook_id: number;
  event: WebhookEvent;
  outcome: DeliveryOutcome;
  started_at: string;
  completed_at: string;
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
  response_error: string | null;
}

/** An event waiting for (re)delivery to one hook; the head of a hook's queue blocks the rest, as in Procore. */
export interface QueuedDelivery {
  hook_id: number;
  event: WebhookEvent;
  attempts: number;
  first_failure_at: number | null;
}

export interface Counters {
  projectId: number;
  hookId: number;
  triggerId: number;
  deliveryId: number;
  /** Project types and stages created through the API. */
  catalogId: number;
  /** Decimal string: webhook event ids are larger than a double holds exactly. */
  eventId: string;
}

export interface SandboxState {
  version: 1;
  counters: Counters;
  projects: ProjectRecord[];
  hooks: HookRecord[];
  triggers: TriggerRecord[];
  deliveries: DeliveryRecord[];
  queue: QueuedDelivery[];
  /** Seeded from data/, then grown by the create endpoints. */
  projectTypes: NamedRef[];
  projectStages: ProjectStage[];
}

/** Oldest deliveries are dropped past this, so a long-running sandbox does not grow without bound. */
const MAX_DELIVERIES = 5000;
const WRITE_DELAY_MS = 25;

export function emptyState(): SandboxState {
  return {
    version: 1,
    counters: {
      projectId: 562949953499999,
      hookId: 1199999,
      triggerId: 4499999,
      deliveryId: 87999999,
      catalogId: 562949953429999,
      eventId: '5982324300946918153',
    },
    projects: [],
    hooks: [],
    triggers: [],
    deliveries: [],
    queue: [],
    projectTypes: projectTypes.map((t) => ({ ...t })),
    projectStages: projectStages.map((s) => ({ ...s })),
  };
}

function readState(dataFile: string | undefined): SandboxState {
  if (!dataFile) return emptyState();
  let text: string;
  try {
    text = readFileSync(dataFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw err;
  }
  // A corrupt file is an error, not a reason to start empty and overwrite someone's data.
  const parsed = JSON.parse(text) as SandboxState;
  if (parsed.version !== 1) throw new Error(`${dataFile}: unsupported sandbox data version ${String(parsed.version)}`);
  const empty = emptyState();
  // A file written before a key existed gets that key's default (counters one by one).
  return { ...empty, ...parsed, counters: { ...empty.counters, ...parsed.counters } };
}

export class SandboxStore {
  readonly state: SandboxState;
  private readonly dataFile: string | undefined;
  private readonly projectsById = new Map<number, ProjectRecord>();
  private writeTimer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private writeError: unknown = null;

  constructor(dataFile?: string) {
    this.dataFile = dataFile ? path.resolve(dataFile) : undefined;
    this.state = readState(this.dataFile);
    for (const project of this.state.projects) this.projectsById.set(project.id, project);
  }

  // ---- ids -------------------------------------------------------------------------------------------------

  nextId(counter: Exclude<keyof Counters, 'eventId'>): number {
    this.state.counters[counter] += 1;
    return this.state.counters[counter];
  }

  nextEventId(): string {
    this.state.counters.eventId = (BigInt(this.state.counters.eventId) + 1n).toString();
    return this.state.counters.eventId;
  }

  // ---- projects --------------------------------------------------------------------------------------------

  project(id: number): ProjectRecord | undefined {
    return this.projectsById.get(id);
  }

  projectByOriginId(companyId: number, originId: string): ProjectRecord | undefined {
    return this.state.projects.find((p) => p.company_id === companyId && p.attributes.origin_id === originId);
  }

  addProject(project: ProjectRecord): void {
    this.state.projects.push(project);
    this.projectsById.set(project.id, project);
    this.changed();
  }

  removeProject(id: number): void {
    this.state.projects = this.state.projects.filter((p) => p.id !== id);
    this.projectsById.delete(id);
    this.changed();
  }

  // ---- deliveries ------------------------------------------------------------------------------------------

  addDelivery(delivery: DeliveryRecord): void {
    this.state.deliveries.push(delivery);
    if (this.state.deliveries.length > MAX_DELIVERIES)
      this.state.deliveries.splice(0, this.state.deliveries.length - MAX_DELIVERIES);
    this.changed();
  }

  // ---- persistence -----------------------------------------------------------------------------------------

  /** Call after every mutation; writes are coalesced. */
  changed(): void {
    if (!this.dataFile || this.writeTimer) return;
    this.writeTimer = setTimeout(() => {
      this.writeTimer = null;
      void this.enqueueWrite();
    }, WRITE_DELAY_MS);
  }

  async flush(): Promise<void> {
    if (this.writeTimer) {
      clearTimeout(this.writeTimer);
      this.writeTimer = null;
      await this.enqueueWrite();
    }
    await this.writing;
    if (this.writeError) throw this.writeError;
  }

  private enqueueWrite(): Promise<void> {
    const file = this.dataFile;
    if (!file) return Promise.resolve();
    // Serialise the snapshot now, so the write reflects the state at this moment even if it waits its turn.
    const snapshot = JSON.stringify(this.state);
    // A failed write must not block later ones; flush() reports it.
    this.writing = this.writing
      .then(() => writeAtomically(file, snapshot))
      .catch((err: unknown) => {
        this.writeError = err;
      });
    return this.writing;
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(temp, text, 'utf8');
  await fs.rename(temp, file);
}
