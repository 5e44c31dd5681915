/**
 * The state of one project's sync and the rules that change it. Pure: no activities, no clocks; the workflow
 * feeds it observations and asks it what to write. That keeps the rules testable without a Temporal server.
 */
import { flowsFrom, toProcore } from '../../mappings/project-mapping';
import type { CanonicalFields, ProjectMapping, RawFields } from '../../mappings/types';
import { ConvergentRules } from './convergent-rules';
import { SALESFORCE_LINK_FIELD } from '../../mappings/link-field';
import type {
  ParkedSync,
  ProjectSyncSettings,
  ProjectSyncState,
  ProjectSyncView,
  QueuedChange,
  SyncStatus,
} from './messages';
import { rememberEvent } from '../recent-events';
import { DEFAULT_RETRY_BUDGET } from '../activity-options';

export const DEFAULT_SETTINGS: ProjectSyncSettings = {
  coalesceWindowMs: 200,
  recentEventLimit: 500,
  retryFirstDelayMs: 30_000,
  retryMaxDelayMs: 15 * 60_000,
  recheckRejectedMs: 60 * 60_000,
  continueAsNewAfterEvents: 200,
  createInProcore: true,
  ...DEFAULT_RETRY_BUDGET,
};

export { SALESFORCE_LINK_FIELD };

export function initialState(salesforceId: string): ProjectSyncState {
  return {
    link: { salesforceId, procoreProjectId: null, writtenToSalesforce: false },
    snapshot: {},
    versions: {},
    status: 'pending',
    parked: null,
    deletedInSalesforce: false,
    recentEventIds: [],
    stats: {
      eventsApplied: 0,
      echoesDropped: 0,
      duplicatesDropped: 0,
      writes: { salesforce: 0, procore: 0 },
    },
    lastSyncedAt: null,
  };
}

export class ProjectSyncModel {
  readonly queue: QueuedChange[];

  constructor(
    readonly state: ProjectSyncState,
    queue: QueuedChange[],
    private mapping: ProjectMapping,
    private readonly settings: ProjectSyncSettings,
  ) {
    this.queue = [...queue];
  }

  /** A changed mapping, adopted between batches. */
  useMapping(mapping: ProjectMapping): void {
    this.mapping = mapping;
  }

  /** Queues a change unless its event was already seen; returns whether it was queued. */
  enqueue(change: QueuedChange): boolean {
    if (change.kind !== 'resync') {
      const id = change.change.eventId;
      if (
        this.state.recentEventIds.includes(id) ||
        this.queue.some((q) => q.kind === change.kind && q.change.eventId === id)
      ) {
        this.state.stats.duplicatesDropped++;
        return false;
      }
    }
    this.queue.push(change);
    return true;
  }

  takeQueued(): QueuedChange[] {
    return this.queue.splice(0);
  }

  /** Remembers an applied event id, keeping the list bounded. */
  remember(eventId: string): void {
    rememberEvent(this.state.recentEventIds, eventId, this.settings.recentEventLimit);
  }

  dropEcho(): void {
    this.state.stats.echoesDropped++;
  }

  /** The values a new Procore project is created with, from what Salesforce holds. */
  pendingCreateValuesFrom(salesforce: CanonicalFields): CanonicalFields {
    const values: CanonicalFields = {};
    for (const field of this.mapping.fields) {
      if (field.name in salesforce && flowsFrom(field, 'salesforce')) values[field.name] = salesforce[field.name];
    }
    return values;
  }

  procoreCreateBodyFrom(values: CanonicalFields): RawFields {
    const nonEmpty = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null));
    return { ...toProcore(this.mapping, nonEmpty), origin_id: this.state.link.salesforceId };
  }

  linkProcoreProject(procoreProjectId: string): void {
    this.state.link.procoreProjectId = procoreProjectId;
    delete this.state.link.notCreatedInProcore;
  }

  /** Whether a record with no Procore project gets one (TANDEM_CREATE_IN_PROCORE). */
  get createsProcoreProjects(): boolean {
    return this.settings.createInProcore;
  }

  /** Creation is off: the record stays without a Procore project until Salesforce names one. */
  leaveWithoutProcoreProject(): void {
    this.state.link.notCreatedInProcore = true;
  }

  /** A record left without a Procore project (creation off) whose queue is empty: its run has nothing to hold. */
  waitsForProcoreLink(): boolean {
    return this.state.link.notCreatedInProcore === true && this.queue.length === 0 && this.state.parked === null;
  }

  park(parked: ParkedSync): void {
    this.state.parked = parked;
    this.state.status = 'error';
  }

  markSynced(now: number): void {
    this.state.parked = null;
    this.state.status = this.settledStatus();
    this.state.lastSyncedAt = now;
  }

  private settledStatus(): SyncStatus {
    if (this.state.deletedInSalesforce) return 'deleted';
    return this.state.link.notCreatedInProcore ? 'unlinked' : 'synced';
  }

  view(): ProjectSyncView {
    const rules = new ConvergentRules(this.state, this.mapping);
    return {
      ...this.state,
      queued: this.queue.length,
      pendingWrites: {
        salesforce: Object.keys(rules.pendingFor('salesforce')),
        procore: Object.keys(rules.pendingFor('procore')),
      },
    };
  }
}
