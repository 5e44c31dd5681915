/** Salesforce's field holding the Procore id: part of the link rather than of the field mapping, used on both sides of it. */
export const SALESFORCE_LINK_FIELD = 'Procore_ID__c';
