/** Finding ProjectSync workflows through Temporal visibility (search attributes). */
import type { Client } from '@temporalio/client';
import { projectSyncWorkflowId } from '../../workflows/project-sync/messages';

export interface ProjectSummary {
  salesforceId: string;
  procoreProjectId: string | null;
  status: string | null;
  workflowId: string;
  temporalUiUrl: string;
}

function keyword(value: unknown): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : null;
}

export function temporalUiLink(uiUrl: string, namespace: string, workflowId: string): string {
  return `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

export async function listProjectSyncs(client: Client, uiUrl: string, status?: string): Promise<ProjectSummary[]> {
  const filters = [`WorkflowType = 'projectSync'`, `ExecutionStatus = 'Running'`];
  if (status) filters.push(`SyncStatus = '${status.replace(/'/g, '')}'`);
  const projects: ProjectSummary[] = [];
  for await (const wf of client.workflow.list({ query: filters.join(' AND ') })) {
    const attrs = wf.searchAttributes ?? {};
    const salesforceId = keyword(attrs.SalesforceId) ?? wf.workflowId.replace(/^project-sync-/, '');
    projects.push({
      salesforceId,
      procoreProjectId: keyword(attrs.ProcoreProjectId),
      status: keyword(attrs.SyncStatus),
      workflowId: projectSyncWorkflowId(salesforceId),
      temporalUiUrl: temporalUiLink(uiUrl, client.options.namespace, wf.workflowId),
    });
  }
  return projects;
}

export async function countParked(client: Client): Promise<number> {
  const { count } = await client.workflow.count(
    `WorkflowType = 'projectSync' AND ExecutionStatus = 'Running' AND SyncStatus = 'error'`,
  );
  return count;
}
