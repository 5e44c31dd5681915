/**
 * The reconciliation workflow's input, result and schedule ids; the sweeps' own types are activities/sweeps/types.ts.
 */
export type {
  ProcoreReconcileActivities,
  ProcoreSweepInput,
  ProcoreSweepResult,
  SalesforceReconcileActivities,
  SalesforceSweepInput,
  SalesforceSweepResult,
  SweepCounts,
} from '../../activities/sweeps/types';
import type { SweepCounts } from '../../activities/sweeps/types';

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
