import type { CanonicalFields } from '../../mappings/types';

/** What the Procore activities hand back to workflows (plain JSON). */
export interface ProcoreProjectRecord {
  /** Procore ids can exceed 32 bits; kept as strings end to end. */
  id: string;
  originId: string | null;
  active: boolean;
  /** updated_at in epoch ms. */
  updatedAt: number;
  /** The project as `show` returns it. */
  fields: Record<string, unknown>;
}

export interface FoundOrCreatedProject {
  project: ProcoreProjectRecord;
  created: boolean;
}

/** The answer of a compare-then-write: `modified` when a field held neither the expected nor the target value. */
export interface ProcoreWriteResult {
  outcome: 'written' | 'modified';
  /** The project as the write left it, or as read when nothing was written. */
  project: ProcoreProjectRecord;
  /**
   * updated_at of the read the write was compared with: a change someone else made before Tandem's PATCH is dated by
   * it, not by the PATCH's own updated_at. Absent in results recorded before it existed.
   */
  readUpdatedAt?: number;
}

/** The Procore activities workflows call (task queue `procore-api`). */
export interface ProcoreActivities {
  readProcoreProject(procoreProjectId: string): Promise<ProcoreProjectRecord>;
  findOrCreateProcoreProject(originId: string, project: Record<string, unknown>): Promise<FoundOrCreatedProject>;
  updateProcoreProject(procoreProjectId: string, project: Record<string, unknown>): Promise<ProcoreProjectRecord>;
  /**
   * Procore has no conditional update, so this reads the project first and writes only the fields that still hold
   * what Tandem expects (fields already at the target are left alone); canonical values in, by the mapping.
   */
  updateProcoreProjectIfUnchanged(
    procoreProjectId: string,
    expected: CanonicalFields,
    target: CanonicalFields,
  ): Promise<ProcoreWriteResult>;
}

/** What a backfill link write did: wrote, found it done, or left the project alone. */
export type LinkOutcome = 'written' | 'already' | 'linked-elsewhere' | 'gone';

export interface ProcoreLinkWrite {
  procoreId: string;
  salesforceId: string;
  /** The plan's values are written only if updated_at is still this (epoch ms); the link is written anyway. */
  expectedModifiedAt: number;
  values: Record<string, unknown>;
}

/** The backfill's Procore activity (task queue `procore-api`). */
export interface ProcoreBackfillActivities {
  linkProcoreProject(write: ProcoreLinkWrite): Promise<LinkOutcome>;
}
