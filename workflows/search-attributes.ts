/** The search attributes operators filter on in the Temporal UI, e.g. `SalesforceId = "a0X…"`. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const salesforceIdKey = defineSearchAttributeKey('SalesforceId', SearchAttributeType.KEYWORD);
export const procoreProjectIdKey = defineSearchAttributeKey('ProcoreProjectId', SearchAttributeType.KEYWORD);
export const syncStatusKey = defineSearchAttributeKey('SyncStatus', SearchAttributeType.KEYWORD);

/** Every search attribute Tandem's workflows set: a namespace must have each of them, all Keyword. */
export const SEARCH_ATTRIBUTE_KEYS = [salesforceIdKey, procoreProjectIdKey, syncStatusKey] as const;
