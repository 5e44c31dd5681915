/**
 * The reconciliation's view of each ProjectSync, through the worker's Temporal client: the sweep view the sync keeps
 * in its memo. Temporal's visibility lists it for up to a hundred syncs at once (`views`), but may lag the sync by a
 * moment, so a sweep confirms a difference with `view`, a describe, which the server answers from the sync's own
 * state; so it does for a sync visibility does not show with a view (just started, or a run from before patch
 * `sweep-view-in-memo`), and only such an older run, idle, is asked by query.
 */
import type { Client } from '@temporalio/client';
import { projectSyncWorkflowId, type SweepView, syncStateQuery } from '../workflows/project-sync/messages';
import { sweepViewInMemo, sweepViewOf } from '../workflows/project-sync/sweep-view';
import { type LinkedSync, SYNC_BUSY, type SyncViewAnswer, type SyncViews } from '../activities/sweeps/types';
import { LINKED_SYNCS_QUERY, procoreProjectIdKey, salesforceIdKey } from '../workflows/search-attributes';

/** Workflow ids a visibility query lists at once (the query names each). */
const IDS_PER_LIST = 100;
/** A workflow id that can be quoted in a visibility query as it is. */
const QUOTABLE = /^[A-Za-z0-9-]+$/;

async function describedView(client: Client, salesforceId: string): Promise<SyncViewAnswer> {
  const sync = client.workflow.getHandle(projectSyncWorkflowId(salesforceId));
  try {
    // Temporal's server answers describe; only an older run that is idle is asked (SYNC_BUSY says why).
    const { status, raw, memo } = await sync.describe();
    if (status.name !== 'RUNNING') return null;
    const kept = sweepViewInMemo(memo);
    if (kept) return kept;
    if (raw.pendingWorkflowTask) return SYNC_BUSY;
    return sweepViewOf(await sync.query(syncStateQuery));
  } catch {
    // No sync runs for the record, or it cannot answer now: handing the change over is right either way, and
    // costs one read at most.
    return null;
  }
}

/** The views visibility holds for these workflow ids, by workflow id. */
async function listedViews(client: Client, workflowIds: string[]): Promise<Map<string, SweepView>> {
  const found = new Map<string, SweepView>();
  const quoted = workflowIds.filter((id) => QUOTABLE.test(id)).map((id) => `'${id}'`);
  if (quoted.length === 0) return found;
  const query = `WorkflowType = 'projectSync' AND ExecutionStatus = 'Running' AND WorkflowId IN (${quoted.join(', ')})`;
  try {
    for await (const run of client.workflow.list({ query, pageSize: IDS_PER_LIST })) {
      const view = sweepViewInMemo(run.memo);
      if (view) found.set(run.workflowId, view);
    }
  } catch {
    // Visibility cannot answer now: the sweep describes each sync instead.
  }
  return found;
}

export function syncViews(client: Client): SyncViews {
  return {
    view: (salesforceId) => describedView(client, salesforceId),
    async views(salesforceIds) {
      const answers = new Map<string, SweepView>();
      const unique = [...new Set(salesforceIds)];
      for (let i = 0; i < unique.length; i += IDS_PER_LIST) {
        const chunk = unique.slice(i, i + IDS_PER_LIST);
        const listed = await listedViews(client, chunk.map(projectSyncWorkflowId));
        for (const salesforceId of chunk) {
          const view = listed.get(projectSyncWorkflowId(salesforceId));
          if (view) answers.set(salesforceId, view);
        }
      }
      return answers;
    },
    async linkedToProcore() {
      const linked: LinkedSync[] = [];
      for await (const run of client.workflow.list({ query: LINKED_SYNCS_QUERY })) {
        const procoreProjectId = run.typedSearchAttributes.get(procoreProjectIdKey);
        const salesforceId = run.typedSearchAttributes.get(salesforceIdKey);
        if (procoreProjectId && salesforceId) linked.push({ salesforceId, procoreProjectId });
      }
      return linked;
    },
  };
}
