/** The reconciliation's view of each ProjectSync: its `syncState` query, through the worker's Temporal client. */
import type { Client } from '@temporalio/client';
import { projectSyncWorkflowId, syncStateQuery } from '../workflows/project-sync/messages';
import type { SyncViews } from '../workflows/reconcile/messages';

export function syncViews(client: Client): SyncViews {
  return {
    async view(salesforceId) {
      try {
        return await client.workflow.getHandle(projectSyncWorkflowId(salesforceId)).query(syncStateQuery);
      } catch {
        // No sync runs for the record, or it cannot answer now: handing the change over is right either way, and
        // costs one read at most.
        return null;
      }
    },
  };
}
