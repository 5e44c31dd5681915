/** The search attributes operators filter on in the Temporal UI, e.g. `SalesforceId = "a0X…"`. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const salesforceIdKey = defineSearchAttributeKey('SalesforceId', SearchAttributeType.KEYWORD);
export const procoreProjectIdKey = defineSearchAttributeKey('ProcoreProjectId', SearchAttributeType.KEYWORD);
export const syncStatusKey = defineSearchAttributeKey('SyncStatus', SearchAttributeType.KEYWORD);

/** Every search attribute Tandem's workflows set: a namespace must have each of them, all Keyword. */
export const SEARCH_ATTRIBUTE_KEYS = [salesforceIdKey, procoreProjectIdKey, syncStatusKey] as const;

/**
 * Visibility's query for the running ProjectSyncs whose Procore link has not ended (an ended link shows
 * `unlinked`). Temporal's visibility store answers it; no worker does.
 */
export const LINKED_SYNCS_QUERY =
  `WorkflowType = 'projectSync' AND ExecutionStatus = 'Running' AND ${procoreProjectIdKey.name} IS NOT NULL ` +
  `AND ${syncStatusKey.name} != 'unlinked'`;

/** The same for the one sync linked to a Procore project; null for an id that is not Procore's digits. */
export function linkedSyncQuery(procoreProjectId: string): string | null {
  if (!/^[0-9]+$/.test(procoreProjectId)) return null;
  return `${LINKED_SYNCS_QUERY} AND ${procoreProjectIdKey.name} = '${procoreProjectId}'`;
}
