/**
 * The two project tables, rendered on the server both for the first page and for each refresh. Every row carries
 * its link, its sync status from the operator API and a link to its workflow in the Temporal UI.
 */
import { temporalUiLink } from '../../ingress/operator-api/projects';
import type { ProjectSummary } from '../../ingress/operator-api/projects';
import { procoreFormValues, salesforceFormValues, type FormValues } from './fields';
import { escapeHtml, jsonAttribute } from './html';
import { sameSalesforceId, type Board, type ProcoreProject, type SalesforceRecord } from './sources';

export interface TemporalUi {
  url: string;
  namespace: string;
}

export const SALESFORCE_COLUMNS = ['Name', 'Type', 'Stage', 'City', 'Procore ID', 'Sync', 'Workflow', ''];
export const PROCORE_COLUMNS = ['Id', 'Name', 'Type', 'Stage', 'City', 'Origin id', 'Sync', 'Workflow', ''];

function syncFor(
  syncs: readonly ProjectSummary[],
  salesforceId: string | null | undefined,
): ProjectSummary | undefined {
  return salesforceId ? syncs.find((s) => sameSalesforceId(s.salesforceId, salesforceId)) : undefined;
}

function statusCell(sync: ProjectSummary | undefined, unsynced: string): string {
  const status = sync ? (sync.status ?? 'pending') : unsynced;
  return `<td><span data-testid="sync-status" class="status status-${escapeHtml(status)}">${escapeHtml(status)}</span></td>`;
}

function workflowCell(sync: ProjectSummary | undefined, ui: TemporalUi): string {
  if (!sync) return '<td></td>';
  const href = temporalUiLink(ui.url, ui.namespace, sync.workflowId);
  return `<td><a data-testid="workflow-link" href="${escapeHtml(href)}" title="${escapeHtml(sync.workflowId)}" target="_blank" rel="noopener">ProjectSync ↗</a></td>`;
}

function cells(values: unknown[]): string {
  return values.map((v) => `<td>${escapeHtml(v)}</td>`).join('');
}

function editCell(side: string, id: string | number, values: FormValues): string {
  return `<td><button type="button" data-testid="edit" data-edit="${side}" data-id="${escapeHtml(id)}" data-record="${jsonAttribute(values)}">Edit</button></td>`;
}

function emptyRow(columns: number, text: string): string {
  return `<tr class="empty"><td colspan="${columns}">${escapeHtml(text)}</td></tr>`;
}

function salesforceRow(record: SalesforceRecord, syncs: readonly ProjectSummary[], ui: TemporalUi): string {
  const sync = syncFor(syncs, record.Id);
  return [
    `<tr data-testid="salesforce-row" data-id="${escapeHtml(record.Id)}">`,
    `<td data-testid="name">${escapeHtml(record.Name)}</td>`,
    cells([record.Project_Type__c, record.Stage__c, record.City__c]),
    `<td class="id" data-testid="link">${escapeHtml(record.Procore_ID__c)}</td>`,
    statusCell(sync, 'not synced'),
    workflowCell(sync, ui),
    editCell('salesforce', record.Id, salesforceFormValues(record)),
    '</tr>',
  ].join('');
}

function procoreRow(project: ProcoreProject, syncs: readonly ProjectSummary[], ui: TemporalUi): string {
  // A Procore project without an origin id is not Salesforce's: Tandem leaves it alone.
  const sync = syncFor(syncs, project.origin_id);
  return [
    `<tr data-testid="procore-row" data-id="${project.id}"${project.active === false ? ' class="inactive"' : ''}>`,
    `<td class="id">${project.id}</td>`,
    `<td data-testid="name">${escapeHtml(project.name)}</td>`,
    cells([project.project_type?.name, project.project_stage?.name, project.city]),
    `<td class="id" data-testid="link">${escapeHtml(project.origin_id)}</td>`,
    statusCell(sync, project.origin_id ? 'not synced' : 'not linked'),
    workflowCell(sync, ui),
    editCell('procore', project.id, procoreFormValues(project)),
    '</tr>',
  ].join('');
}

export function salesforceRows(board: Board, ui: TemporalUi): string {
  if (board.salesforce.length === 0) return emptyRow(SALESFORCE_COLUMNS.length, 'No projects yet.');
  return board.salesforce.map((r) => salesforceRow(r, board.syncs, ui)).join('\n');
}

export function procoreRows(board: Board, ui: TemporalUi): string {
  if (board.procore.length === 0) return emptyRow(PROCORE_COLUMNS.length, 'No projects yet.');
  return board.procore.map((p) => procoreRow(p, board.syncs, ui)).join('\n');
}

export function problemsHtml(board: Board): string {
  return board.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('');
}
