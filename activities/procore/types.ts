import type { CanonicalFields } from '../../mappings/types';

/** A Procore webhook event about one project. Procore sends no field values: the project is re-read. */
export interface ProcoreChange {
  /** The event's ulid: stable across duplicate deliveries. */
  eventId: string;
  eventType: 'create' | 'update' | 'delete';
  procoreProjectId: string;
  timestamp: string;
  /** `metadata.source_application_id` is Tandem's client id. */
  madeByTandem: boolean;
}

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
   * it, not by the PATCH's own updated_at. Absent when the write read nothing first (an overwrite).
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
  /**
   * Writes the target fields without reading first (one call, not two): for a mapping under which Salesforce wins
   * every conflict, a Procore edit Tandem has not seen yet would lose to the Salesforce value whatever a compare
   * showed (docs/sync-semantics.md, "Procore: no conditional update").
   */
  overwriteProcoreProject(procoreProjectId: string, target: CanonicalFields): Promise<ProcoreWriteResult>;
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

/** One pair of a batch linked at once: the link write, or none when Procore already names the record. */
export interface BulkLinkItem {
  salesforceId: string;
  procoreId: string;
  write?: ProcoreLinkWrite;
}

/**
 * What the batch link did for one pair. `one-by-one`: Procore's batch upsert refused the item (its `error` says
 * why), and the per-project write is to decide. `unlinked`: an item without a write whose project no longer names
 * the record; nothing was written. `project` is the project as the link left it (mapped fields only).
 */
export interface BulkLinkResult {
  procoreId: string;
  outcome: LinkOutcome | 'one-by-one' | 'unlinked';
  project?: ProcoreProjectRecord;
  error?: string;
}

/** The backfill's Procore activities (task queue `procore-api`); the link write also serves the router and adoption. */
export interface ProcoreBackfillActivities {
  linkProcoreProject(write: ProcoreLinkWrite): Promise<LinkOutcome>;
  /** A batch of pairs in two calls: one list read of the projects, one batch upsert of the links to write. */
  linkProcoreProjects(items: BulkLinkItem[]): Promise<BulkLinkResult[]>;
}
