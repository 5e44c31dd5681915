/** Salesforce's field holding the Procore id: part of the link, not of the mapping. */
export const SALESFORCE_LINK_FIELD = 'Procore_ID__c';
