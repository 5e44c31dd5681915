/**
 * What workflows report to the worker process for metrics. Sinks run outside the deterministic sandbox and
 * are not called again on replay, so each fact is counted once.
 */
import type { Sinks } from '@temporalio/workflow';

export type SyncDirection = 'salesforce_to_procore' | 'procore_to_salesforce';
export type DropReason =
  | 'echo'
  | 'duplicate'
  | 'stale'
  /** An event about a project Procore does not have (deleted, or never there): nothing to route. */
  | 'procore_project_not_found'
  /** An event whose project Procore refused to read with an answer that cannot change (not a failed login). */
  | 'procore_read_refused';

export interface SyncSinks extends Sinks {
  syncMetrics: {
    dropped(reason: DropReason): void;
    /** `sourceCommittedAt` is the source system's timestamp of the newest change in the write. */
    written(direction: SyncDirection, sourceCommittedAt: number): void;
    parked(code: string): void;
  };
}
