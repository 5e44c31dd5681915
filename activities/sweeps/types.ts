/**
 * What the reconciliation sweeps exchange with the workflow that runs them and with the worker that tells them what
 * each ProjectSync has seen (plain JSON and one injected interface).
 */
import type { CanonicalFields, Side } from '../../mappings/types';

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

/**
 * What the reconciliation's sweeps need to know of a ProjectSync, kept in its memo:
 * Temporal's server hands it out with a describe, so a sweep never sends the sync a query (which the worker answers
 * by replaying the history of a sync it does not cache).
 */
export interface SweepView {
  procoreProjectId: string | null;
  linkEnded: boolean;
  deletedInSalesforce: boolean;
  /** Per system, the newest of that system's own stamps the sync has seen (epoch ms); null before its first look. */
  seenAt: Record<Side, number | null>;
  /** Procore's mapped values as the sync last saw them, fields it blocks left out; null before its first look. */
  procoreValues: CanonicalFields | null;
}

/** A running ProjectSync linked to a Procore project, as Temporal's visibility lists it. */
export interface LinkedSync {
  salesforceId: string;
  procoreProjectId: string;
}

/**
 * A sync with no view in its memo yet that was at work when the sweep looked (a workflow task pending): it is not
 * asked, and the change is handed over, at the cost of one read at most. Asking a sync at work sent a query to the
 * worker beside that task; with the worker's cache full, the SDK (1.24) could lose one of the two and the run stalled
 * (bench/README.md, "A sync worker that stopped polling").
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
