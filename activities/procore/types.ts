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

/** The Procore activities workflows call (task queue `procore-api`). */
export interface ProcoreActivities {
  readProcoreProject(procoreProjectId: string): Promise<ProcoreProjectRecord>;
  findOrCreateProcoreProject(originId: string, project: Record<string, unknown>): Promise<FoundOrCreatedProject>;
  updateProcoreProject(procoreProjectId: string, project: Record<string, unknown>): Promise<ProcoreProjectRecord>;
}
