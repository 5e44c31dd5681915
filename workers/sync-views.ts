/** The reconciliation's view of each ProjectSync: its `syncState` query, through the worker's Temporal client. */
import type { Client } from '@temporalio/client';
import { projectSyncWorkflowId, syncStateQuery } from '../workflows/project-sync/messages';
import type { LinkedSync, SyncViews } from '../workflows/reconcile/messages';
import { procoreProjectIdKey, salesforceIdKey, syncStatusKey } from '../workflows/search-attributes';

/** Running syncs with a Procore link that has not ended (an ended link shows `unlinked`). */
const LINKED_QUERY =
  `WorkflowType = 'projectSync' AND ExecutionStatus = 'Running' AND ${procoreProjectIdKey.name} IS NOT NULL ` +
  `AND ${syncStatusKey.name} != 'unlinked'`;

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
    async linkedToProcore() {
      const linked: LinkedSync[] = [];
      for await (const run of client.workflow.list({ query: LINKED_QUERY })) {
        const procoreProjectId = run.typedSearchAttributes.get(procoreProjectIdKey);
        const salesforceId = run.typedSearchAttributes.get(salesforceIdKey);
        if (procoreProjectId && salesforceId) linked.push({ salesforceId, procoreProjectId });
      }
      return linked;
    },
  };
}
