/** Types shared by the ProcoreReconcile workflow and its sweep activity. */

export interface ProcoreSweepInput {
  /** updated_at (epoch ms) up to which the previous sweep handed every change over; null before the first sweep. */
  since: number | null;
  /** Without a cursor, how far back the first sweep looks (ms). */
  firstLookbackMs: number;
}

export interface ProcoreSweepResult {
  /** Where the next sweep starts: the end of this sweep's range. */
  cursor: number;
  projectsRead: number;
  changesHanded: number;
}

export interface ProcoreReconcileActivities {
  sweepProcoreProjects(input: ProcoreSweepInput): Promise<ProcoreSweepResult>;
}

export interface ProcoreReconcileInput {
  everyMs: number;
  cursor?: number | null;
}

export const PROCORE_RECONCILE_WORKFLOW_ID = 'procore-reconcile';
