/**
 * The state of one project's sync and the rules that change it. Pure: no activities, no clocks; the workflow
 * feeds it observations and asks it what to write. That keeps the rules testable without a Temporal server.
 */
import { flowsFrom, fromProcore, fromSalesforce, toProcore, toSalesforce } from '../../mappings/project-mapping';
import type { CanonicalFields, CanonicalValue, ProjectMapping, RawFields, Side } from '../../mappings/types';
import { ConvergentRules } from './convergent-rules';
import { fingerprint } from './fingerprint';
import { SALESFORCE_LINK_FIELD } from '../../mappings/link-field';
import type {
  ParkedSync,
  ProjectSyncSettings,
  ProjectSyncState,
  ProjectSyncView,
  QueuedChange,
  SalesforceChange,
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
    observed: { salesforce: {}, procore: {} },
    lastWrittenVersion: { salesforce: null, procore: null },
    status: 'pending',
    parked: null,
    deletedInSalesforce: false,
    recentEventIds: [],
    stats: {
      eventsApplied: 0,
      echoesDropped: 0,
      duplicatesDropped: 0,
      staleIgnored: 0,
      writes: { salesforce: 0, procore: 0 },
    },
    lastSyncedAt: null,
  };
}

function sameValue(a: CanonicalValue | undefined, b: CanonicalValue | undefined): boolean {
  return (a ?? null) === (b ?? null);
}

const OTHER_SIDE: Record<Side, Side> = { salesforce: 'procore', procore: 'salesforce' };

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

  /** A changed mapping, adopted between batches (patch `mapping-as-data`). */
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

  /**
   * The echo of Tandem's own Salesforce write: made by Tandem's client, and every mapped value it carries is one
   * Tandem wrote last. A trigger or another integration changing a value on top of that write does not match.
   */
  isSalesforceEcho(change: SalesforceChange): boolean {
    if (!change.madeByTandem) return false;
    const written = this.state.lastWrittenVersion.salesforce;
    const carried = fromSalesforce(this.mapping, change.fields);
    return Object.entries(carried).every(
      ([name, value]) => written !== null && name in written.values && sameValue(written.values[name], value),
    );
  }

  dropEcho(): void {
    this.state.stats.echoesDropped++;
  }

  /**
   * `complete` says the record holds every non-empty field (a CDC CREATE or UNDELETE, a REST read): mapped fields
   * it lacks are empty. A CDC UPDATE carries only what changed.
   */
  observeSalesforce(record: RawFields, at: number, complete: boolean): number {
    const values = fromSalesforce(this.mapping, record);
    if (complete) for (const field of this.mapping.fields) if (!(field.name in values)) values[field.name] = null;
    return this.observe('salesforce', values, at);
  }

  knowsAllFieldsOf(side: Side): boolean {
    return this.mapping.fields.every((field) => field.name in this.state.observed[side]);
  }

  /** The agreed values a new Procore project is created with. */
  pendingCreateValues(): CanonicalFields {
    const values: CanonicalFields = {};
    for (const field of this.mapping.fields) {
      if (field.name in this.state.snapshot && flowsFrom(field, 'salesforce'))
        values[field.name] = this.state.snapshot[field.name];
    }
    return values;
  }

  observeProcore(project: RawFields, at: number): number {
    return this.observe('procore', fromProcore(this.mapping, project), at);
  }

  /**
   * Takes what one system holds at time `at`. A field counts as changed there only if it differs from what that
   * system was last seen to hold; the change becomes the agreed value unless a newer one is already agreed
   * (last writer wins per field, by the systems' own timestamps). Returns how many stale values it ignored.
   */
  observe(side: Side, values: CanonicalFields, at: number): number {
    let stale = 0;
    for (const field of this.mapping.fields) {
      if (!(field.name in values)) continue;
      const value = values[field.name];
      const seen = this.state.observed[side][field.name];
      if (seen && seen.at > at) {
        stale++;
        continue;
      }
      this.state.observed[side][field.name] = { value, at };
      if (seen && sameValue(seen.value, value)) continue;
      if (field.name in this.state.snapshot && sameValue(this.state.snapshot[field.name], value)) continue;
      if (!flowsFrom(field, side)) continue;
      const version = this.state.versions[field.name];
      if (version && version.at > at) {
        stale++;
        continue;
      }
      this.state.snapshot[field.name] = value;
      this.state.versions[field.name] = { side, at };
    }
    this.state.stats.eventsApplied++;
    this.state.stats.staleIgnored += stale;
    return stale;
  }

  /** A Salesforce delete: the record is gone, so Procore is told the project is inactive. */
  markDeletedInSalesforce(at: number): void {
    this.state.deletedInSalesforce = true;
    this.observe('salesforce', { active: false }, at);
  }

  markRestoredInSalesforce(): void {
    this.state.deletedInSalesforce = false;
  }

  /** Canonical values the given side lacks; only fields that may flow to it. */
  pendingFor(side: Side): CanonicalFields {
    if (side === 'salesforce' && this.state.deletedInSalesforce) return {};
    if (side === 'procore' && !this.state.link.procoreProjectId) return {};
    const pending: CanonicalFields = {};
    for (const field of this.mapping.fields) {
      if (!(field.name in this.state.snapshot) || !flowsFrom(field, OTHER_SIDE[side])) continue;
      const seen = this.state.observed[side][field.name];
      // Never seen there and empty here: nothing to write.
      if (seen ? sameValue(seen.value, this.state.snapshot[field.name]) : this.state.snapshot[field.name] === null)
        continue;
      pending[field.name] = this.state.snapshot[field.name];
    }
    return pending;
  }

  /** The Procore `project` body that creates the linked project: every agreed, non-empty field that may flow to Procore. */
  procoreCreateBody(): RawFields {
    const values = Object.fromEntries(Object.entries(this.pendingCreateValues()).filter(([, value]) => value !== null));
    return { ...toProcore(this.mapping, values), origin_id: this.state.link.salesforceId };
  }

  /** The values a new Procore project is created with, from what Salesforce holds (convergent rules). */
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

  procoreUpdateBody(values: CanonicalFields): RawFields {
    return toProcore(this.mapping, values);
  }

  /** The Salesforce PATCH body: pending values, plus the Procore id until Salesforce holds it. */
  salesforceUpdateBody(values: CanonicalFields): RawFields {
    const body = toSalesforce(this.mapping, values);
    const { procoreProjectId, writtenToSalesforce } = this.state.link;
    if (procoreProjectId && !writtenToSalesforce) body[SALESFORCE_LINK_FIELD] = procoreProjectId;
    return body;
  }

  needsSalesforceWrite(): boolean {
    if (this.state.deletedInSalesforce) return false;
    const { procoreProjectId, writtenToSalesforce } = this.state.link;
    return Object.keys(this.pendingFor('salesforce')).length > 0 || (procoreProjectId !== null && !writtenToSalesforce);
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

  /** Salesforce answers a PATCH with no body: what was written is what it now holds, as of the agreed versions. */
  recordSalesforceWrite(values: CanonicalFields, now: number): void {
    for (const [name, value] of Object.entries(values)) {
      this.state.observed.salesforce[name] = { value, at: this.state.versions[name]?.at ?? now };
    }
    if (this.state.link.procoreProjectId) this.state.link.writtenToSalesforce = true;
    this.recordWrite('salesforce', values, now);
  }

  /** Procore answers with the project: take it as an observation, so defaults it filled in flow back too. */
  recordProcoreWrite(values: CanonicalFields, project: RawFields, updatedAt: number, now: number): void {
    this.observeProcore(project, updatedAt);
    this.recordWrite('procore', values, now);
  }

  private recordWrite(side: Side, values: CanonicalFields, now: number): void {
    this.state.lastWrittenVersion[side] = { at: now, fingerprint: fingerprint(values), values };
    this.state.stats.writes[side]++;
  }

  /** The newest source timestamp among the given fields' agreed versions: where an end-to-end latency starts. */
  newestVersionOf(values: CanonicalFields): number {
    return Math.max(0, ...Object.keys(values).map((name) => this.state.versions[name]?.at ?? 0));
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
    const rules = this.state.convergence ? new ConvergentRules(this.state, this.mapping) : this;
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
