/** The reconciliation's view of each ProjectSync: its `syncState` query, through the worker's Temporal client. */
import type { Client } from '@temporalio/client';
import { projectSyncWorkflowId, syncStateQuery } from '../workflows/project-sync/messages';
import { type LinkedSync, SYNC_BUSY, type SyncViews } from '../workflows/reconcile/messages';
import { LINKED_SYNCS_QUERY, procoreProjectIdKey, salesforceIdKey } from '../workflows/search-attributes';

export function syncViews(client: Client): SyncViews {
  return {
    async view(salesforceId) {
      const sync = client.workflow.getHandle(projectSyncWorkflowId(salesforceId));
      try {
        // Temporal's server answers describe; only a sync that is idle is asked (SYNC_BUSY says why).
        const { status, raw } = await sync.describe();
        if (status.name !== 'RUNNING') return null;
        if (raw.pendingWorkflowTask) return SYNC_BUSY;
        return await sync.query(syncStateQuery);
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
