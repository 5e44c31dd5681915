/**
 * Types shared by the reconciliation workflows and their sweep activities, and the one rule both sweeps follow:
 * a record is handed to its ProjectSync only when the system changed it after the state the sync last saw.
 */
import type { SweepView } from '../project-sync/messages';

export interface ProcoreSweepInput {
  /** updated_at (epoch ms) up to which the previous sweep handed every change over; null before the first sweep. */
  since: number | null;
  /** Without a cursor, how far back the first sweep looks (ms). */
  firstLookbackMs: number;
  /** The daily full sweep: every project, whatever its updated_at. */
  full?: boolean;
}

export interface SweepCounts {
  /** API pages (list calls, replication calls, queries) the sweep read. */
  pagesRead: number;
  /** Projects (Procore) or records (Salesforce) those pages named. */
  projectsRead: number;
  /**
   * Of those, the ones whose ProjectSync had not seen their latest state: each was handed over once. Procore's full
   * sweep adds the running syncs linked to a project missing from the list, each asked once to read it again.
   */
  differences: number;
}

export interface ProcoreSweepResult extends SweepCounts {
  /** Where the next sweep starts: the end of this sweep's range. */
  cursor: number;
  /** Kept for histories of the old loop, which read only the cursor. */
  changesHanded: number;
}

export interface SalesforceSweepInput {
  /** The replication API's latestDateCovered of the previous sweep (epoch ms); null before the first sweep. */
  since: number | null;
  firstLookbackMs: number;
  /** The daily full sweep: as far back as the replication API reaches (30 days, deletes 15). */
  full?: boolean;
}

export interface SalesforceSweepResult extends SweepCounts {
  /** latestDateCovered: the next sweep starts there. */
  cursor: number;
}

export interface ProcoreReconcileActivities {
  sweepProcoreProjects(input: ProcoreSweepInput): Promise<ProcoreSweepResult>;
}

export interface SalesforceReconcileActivities {
  sweepSalesforceProjects(input: SalesforceSweepInput): Promise<SalesforceSweepResult>;
}

/** The old singleton loop's input (still replayed until the loop is terminated on upgrade). */
export interface ProcoreReconcileInput {
  everyMs: number;
  cursor?: number | null;
}

export const PROCORE_RECONCILE_WORKFLOW_ID = 'procore-reconcile';

/** The Temporal Schedules that run the sweep: every TANDEM_RECONCILE_EVERY, and a full sweep once a day. */
export const RECONCILE_SCHEDULE_ID = 'tandem-reconcile';
export const FULL_RECONCILE_SCHEDULE_ID = 'tandem-reconcile-daily-full';

export interface ReconcileInput {
  /** The interval the schedule runs at: the first sweep without a cursor looks back this far. */
  everyMs: number;
  full: boolean;
}

export interface ReconcileCursors {
  procore: number | null;
  salesforce: number | null;
}

/** A run's result, which Temporal hands to the schedule's next run (`lastResult`) and shows in its UI. */
export interface ReconcileResult {
  cursors: ReconcileCursors;
  procore: SweepCounts | { failed: string };
  salesforce: SweepCounts | { failed: string };
}

/**
 * Whether a ProjectSync has not yet seen a system's state stamped `changedAt` (that system's own clock, epoch ms):
 * no sync yet, or its view of that system is older, to the second (the systems' stamps are whole seconds). A view
 * is as new as its last read or the newest change event applied without one. (The view does not say whether changes
 * wait in the sync's queue: such a sync is handed the change too, which costs one read at most.)
 */
export function syncMissed(
  view: SyncViewAnswer,
  side: 'salesforce' | 'procore',
  changedAt: number,
  deleted = false,
): boolean {
  if (!view || view === SYNC_BUSY) return true;
  // A sync whose link has ended reads nothing more: it needs no signal.
  if (view.linkEnded) return false;
  if (side === 'salesforce' && deleted) return !view.deletedInSalesforce;
  const seen = view.seenAt[side];
  if (seen === null) return true;
  return wholeSecond(seen) < wholeSecond(changedAt);
}

function wholeSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** A running ProjectSync linked to a Procore project, as Temporal's visibility lists it. */
export interface LinkedSync {
  salesforceId: string;
  procoreProjectId: string;
}

/**
 * A sync from before patch `sweep-view-in-memo` (no view in its memo) that was at work when the sweep looked (a
 * workflow task pending): it is not asked, and the change is handed over, at the cost of one read at most. Asking a
 * sync at work sent a query to the worker beside that task; with the worker's cache full, the SDK (1.24) could lose
 * one of the two and the run stalled (bench/README.md, "A sync worker that stopped polling").
 */
export const SYNC_BUSY = 'busy';

/** The ProjectSync's sweep view; null when no sync runs for the record; SYNC_BUSY when it was not asked. */
export type SyncViewAnswer = SweepView | null | typeof SYNC_BUSY;

/** How a sweep asks Temporal for a ProjectSync's view; the worker injects it (activities hold no client). */
export interface SyncViews {
  /** The sync's view as of now (Temporal's describe): what a sweep confirms a difference with before a signal. */
  view(salesforceId: string): Promise<SyncViewAnswer>;
  /**
   * The views Temporal's visibility holds for these records' syncs, keyed as asked, for many at once (a sweep's
   * page); a sync it does not show with a view is absent. A view may be a moment old, which makes a sync look
   * behind: confirm with `view` before acting on it.
   */
  views(salesforceIds: string[]): Promise<Map<string, SweepView>>;
  /** The running ProjectSyncs whose link to Procore has not ended (search attributes ProcoreProjectId, SyncStatus). */
  linkedToProcore(): Promise<LinkedSync[]>;
}
