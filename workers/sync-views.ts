/**
 * The reconciliation's view of each ProjectSync, through the worker's Temporal client: the sweep view the sync keeps
 * in its memo, which describe returns without the worker; only runs from before that patch are asked by query.
 */
import type { Client } from '@temporalio/client';
import { projectSyncWorkflowId, syncStateQuery } from '../workflows/project-sync/messages';
import { sweepViewInMemo, sweepViewOf } from '../workflows/project-sync/sweep-view';
import { type LinkedSync, SYNC_BUSY, type SyncViews } from '../workflows/reconcile/messages';
import { LINKED_SYNCS_QUERY, procoreProjectIdKey, salesforceIdKey } from '../workflows/search-attributes';

export function syncViews(client: Client): SyncViews {
  return {
    async view(salesforceId) {
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
