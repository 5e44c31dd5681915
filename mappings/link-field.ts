/** Salesforce's field holding the Procore id: part of the link rather than of the field mapping, used on both sides of it. */
export const SALESFORCE_LINK_FIELD = 'Procore_ID__c';

/**
 * Salesforce's field saying why a record's link ended (a picklist the org must have; see docs/sync-semantics.md):
 * Tandem sets it once when the linked Procore project no longer exists.
 */
export const SALESFORCE_LINK_STATUS_FIELD = 'Procore_Link_Status__c';
export const LINK_ENDED_PROCORE_DELETED = 'Deleted in Procore';
