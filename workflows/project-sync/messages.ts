/** Serializable types and message definitions of the ProjectSync workflow: what goes in, what comes out. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { toSalesforceId18 } from '../../common/salesforce-id';
import type { ProcoreChange, ProcoreProjectRecord } from '../../activities/procore/types';
import type { SalesforceChange } from '../../activities/salesforce/types';
import type { CanonicalFields, CanonicalValue, Side } from '../../mappings/types';
import type { MappingChange, VersionedMapping } from '../../mappings/versioned';

// The change events are the systems' own vocabulary (activities/*/types.ts); the workflows take them as signals.
export { SALESFORCE_CHANGE_TYPES, type SalesforceChangeType } from '../../common/salesforce-change-types';
export type { SalesforceChange } from '../../activities/salesforce/types';
export type { ProcoreChange } from '../../activities/procore/types';
export type { SweepView } from '../../activities/sweeps/types';

export interface ResyncRequest {
  reason: string;
  /**
   * The linked Procore project as the backfill just read or wrote it (mapped fields only): a sync that has not seen
   * Procore yet takes it as its batch's Procore read.
   */
  procore?: ProcoreProjectRecord;
}

/**
 * `unlinked`: no Procore project is linked: the linked one no longer exists and the link has ended
 * (`ProjectLink.ended`), or none was created because creation in Procore is off (`ProjectLink.notCreatedInProcore`).
 */
export const SYNC_STATUSES = ['pending', 'synced', 'error', 'deleted', 'unlinked'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/** Who set the agreed value of a field, and when by that system's clock: the basis of last-writer-wins. */
export interface FieldVersion {
  side: Side;
  at: number;
}

/** What Tandem knows one system holds: from its last read, its own writes since, and the echoes of those. */
export interface SideView {
  values: CanonicalFields;
  /** The system's own timestamp of the state read (LastModifiedDate, updated_at), epoch ms; 0 if unknown. */
  at: number;
  /** Per field, by the same system's clock, when its current value was first seen there: for `latest`. */
  changedAt: Record<string, number>;
}

/**
 * State of the sync rules (rules/): each side's view, compared three ways with the agreed snapshot. Absent
 * until the first batch.
 */
export interface ConvergenceState {
  seen: Record<Side, SideView | null>;
  /** Salesforce writes whose change event has not come back yet, oldest first: any of them may echo. */
  inFlight: SalesforceWrite[];
  /**
   * Older writes a newer write's echo stood for while their own echoes had not come (events out of order): each is still recognised when its echo comes, for the edits it may have overwritten.
   */
  overtaken?: SalesforceWrite[];
  /** Recent people's Salesforce edits and echoes of Tandem's writes, by replay id: see `SalesforceClaim`. */
  edits?: SalesforceEditSeen[];
  echoes?: SalesforceEchoSeen[];
  /** Per field, a Salesforce edit Tandem's write overwrote unseen; absent when there is none. */
  claims?: Record<string, SalesforceClaim>;
  /** Per field, the replay id of the latest person's edit seen: an older edit can no longer claim it. */
  latestEdit?: Record<string, number>;
  /**
   * Per field, a value Tandem wrote that Procore answered with null (it stores what it cannot read as null and still
   * answers 2xx): that null is no edit made in Procore, so it never flows to Salesforce. Cleared once Procore holds a value.
   */
  notStored?: Record<string, CanonicalValue>;
  /**
   * Per field, a person's Salesforce value Tandem knows only from a read, its change event not seen yet: dated by the record's LastModifiedDate, which is later than the edit when other fields changed
   * after it. The event, when it comes, gives the edit's own time.
   */
  readDated?: Record<string, CanonicalValue>;
  /** Per field, a `latest` conflict such a read-dated value won: decided again when its event dates it. */
  provisional?: Record<string, ProvisionalWin>;
  /**
   * Per field, a value the mapping cannot translate: that field is neither merged nor
   * written either way until the side that holds it shows a value that translates; the other fields sync as usual.
   */
  blocked?: Record<string, BlockedField>;
  /**
   * Salesforce's LastModifiedDate as of the last read or echo, kept once people's change events applied without a
   * read have moved `seen.salesforce.at` past it; absent otherwise.
   */
  salesforceKnownAt?: number;
}

/**
 * A `latest` conflict won by a Salesforce value dated by a read. When the value's change event comes, the conflict
 * is decided again with the event's commit time, as it would have been had the event come first; if Procore's value
 * wins then, it becomes both sides' target (`reversed`) until both hold it or either side changes again.
 */
export interface ProvisionalWin {
  value: CanonicalValue;
  /** Procore's value that lost, and its time by Procore's clock. */
  procoreValue: CanonicalValue;
  procoreAt: number;
  reversed?: boolean;
}

export interface BlockedField {
  /** The side holding the value. */
  side: Side;
  /** Why: the mapping's error, naming the field, the side and the value. */
  reason: string;
}

export interface SalesforceWrite {
  values: CanonicalFields;
  /** The If-Unmodified-Since it was sent with (epoch ms), or null. */
  unmodifiedSince: number | null;
  /** What Tandem believed Salesforce held in those fields when it wrote. */
  basis: CanonicalFields;
  /** Answered 412; an earlier attempt whose answer was lost may still have landed, so its echo may come. */
  refused?: boolean;
  /**
   * Set when `unmodifiedSince` came from people's change events rather than a read or an echo: the LastModifiedDate Tandem last knew in full. An edit between the two whose
   * event came late passed the condition unseen.
   */
  knownSince?: number;
  /**
   * Fields whose basis value Tandem knew only from a read, its change event not yet seen: until that event comes, an edit in the condition's second may have come before
   * the value Tandem read (replaced by it) or after it (overwritten unseen by this write), so no claim is made yet.
   */
  basisFromRead?: string[];
}

export interface SalesforceEditSeen {
  replayId: number;
  /** Commit time, truncated to the second as LastModifiedDate is. */
  second: number;
  commitTimestamp: number;
  values: CanonicalFields;
}

export interface SalesforceEchoSeen extends SalesforceWrite {
  replayId: number;
}

/**
 * A person's Salesforce edit committed in the very second Tandem's conditional write was based on, before that
 * write (by replay id), and unknown to Tandem when it wrote: If-Unmodified-Since, at one-second precision, let the
 * write overwrite it. The edit still contends with the value that overwrote it, under the field's policy.
 */
export interface SalesforceClaim {
  value: CanonicalValue;
  changedAt: number;
  /** The values Tandem's writes put over it, from the one that overwrote it on: what the record may show meanwhile. */
  over: CanonicalValue[];
  /** The edit's replay id: of several edits overwritten at once, the last one is what the record held. */
  replayId: number;
}

export interface ParkedSync {
  /** A Tandem error code (TANDEM_…), which is also the Temporal failure type. */
  code: string;
  message: string;
  at: number;
  /** Whether trying again unchanged may succeed (a system was unavailable). */
  retryable?: boolean;
  /** The field the failing system named, when it named one. */
  field?: string;
  /** How many times the sync has tried again since it parked. */
  retries?: number;
  /** When it tries again by itself (epoch ms, workflow time); a new change or a resync tries at once. */
  nextRetryAt?: number;
}

export interface ProjectLink {
  salesforceId: string;
  procoreProjectId: string | null;
  /** Whether Salesforce's `Procore_ID__c` already holds the Procore id. */
  writtenToSalesforce: boolean;
  /** Set once the linked Procore project answered 404: the link is over for good. */
  ended?: LinkEnded;
  /** Set while the record has no Procore project because creating one is off (`createInProcore`). */
  notCreatedInProcore?: true;
}

export interface LinkEnded {
  reason: 'deleted-in-procore';
  /** Workflow time the 404 was met (epoch ms). */
  at: number;
  /** Whether the Salesforce record says so yet (`Procore_Link_Status__c`). */
  toldSalesforce: boolean;
}

export interface SyncStats {
  eventsApplied: number;
  echoesDropped: number;
  duplicatesDropped: number;
  writes: Record<Side, number>;
}

export interface ProjectSyncState {
  link: ProjectLink;
  /** The agreed values of the mapped fields: the last synced snapshot. */
  snapshot: CanonicalFields;
  versions: Record<string, FieldVersion>;
  status: SyncStatus;
  parked: ParkedSync | null;
  deletedInSalesforce: boolean;
  /** Bounded list of applied event ids: server-side signal dedup does not cross continue-as-new. */
  recentEventIds: string[];
  stats: SyncStats;
  lastSyncedAt: number | null;
  convergence?: ConvergenceState;
}

export type QueuedChange =
  | { kind: 'salesforce'; change: SalesforceChange }
  | { kind: 'procore'; change: ProcoreChange }
  | { kind: 'resync'; request: ResyncRequest };

export interface ProjectSyncSettings {
  /** After a write, how long to gather further changes before the next one, so that a burst costs two writes. */
  coalesceWindowMs: number;
  /** How many recent event ids to remember for deduplication. */
  recentEventLimit: number;
  /** A sync parked because a system was unavailable tries again after this, doubling each time up to the cap. */
  retryFirstDelayMs: number;
  retryMaxDelayMs: number;
  /** A sync parked on a rejected value checks again this often, in case the value was fixed without an event. */
  recheckRejectedMs: number;
  /** How long each system call retries before the sync parks (TANDEM_ACTIVITY_MAX_*). */
  activityMaxAttempts: number;
  activityMaxIntervalMs: number;
  /**
   * A run continues as new once its history holds this many events: a sync not in the
   * worker's cache replays its whole history for its next task, at about 0.5 ms of CPU an event (bench/README.md).
   */
  continueAsNewAfterEvents: number;
  /**
   * Whether a record with no Procore project gets one (TANDEM_CREATE_IN_PROCORE).
   * Off, such a record waits for Salesforce to name its project (`Procore_ID__c`) and its run ends after each batch,
   * so that the setting in force when its next change arrives applies.
   */
  createInProcore: boolean;
}

export interface ProjectSyncInput {
  salesforceId: string;
  settings?: Partial<ProjectSyncSettings>;
  /** Set by continue-as-new: the state and the changes not yet applied. */
  carried?: { state: ProjectSyncState; queue: QueuedChange[] };
  /** Set by continue-as-new: the mapping in force; a fresh run asks the worker. */
  mapping?: VersionedMapping;
}

/** What the query and the operator API show. */
export interface ProjectSyncView extends ProjectSyncState {
  queued: number;
  pendingWrites: Record<Side, string[]>;
  /** The version of the mapping in force; absent only before a fresh run's first answer from the worker. */
  mappingVersion?: string;
}

export const salesforceChanged = defineSignal<[SalesforceChange]>('salesforceChanged');
export const procoreChanged = defineSignal<[ProcoreChange]>('procoreChanged');
export const resyncRequested = defineSignal<[ResyncRequest]>('resyncRequested');
export const syncStateQuery = defineQuery<ProjectSyncView>('syncState');
/** Re-reads both sides, syncs, and answers with the state once done. */
export const resyncNow = defineUpdate<ProjectSyncView, [ResyncRequest]>('resyncNow');
/** The mapping was changed (`tandem mapping apply`): fetch the worker's and adopt it between two batches. */
export const mappingChanged = defineSignal<[MappingChange]>('mappingChanged');

/** One workflow per record, whichever form of its id arrived: keyed by the 18-character form. */
export function projectSyncWorkflowId(salesforceId: string): string {
  return `project-sync-${toSalesforceId18(salesforceId) ?? salesforceId}`;
}
