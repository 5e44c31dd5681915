/** Salesforce Change Data Capture's change types, as the CDC subscriber and the workflows both name them. */

/** The change types a ProjectSync takes; GAP_OVERFLOW names no record, so the CDC subscriber reconciles it instead. */
export const SALESFORCE_CHANGE_TYPES = [
  'CREATE',
  'UPDATE',
  'DELETE',
  'UNDELETE',
  'GAP_CREATE',
  'GAP_UPDATE',
  'GAP_DELETE',
  'GAP_UNDELETE',
] as const;
export type SalesforceChangeType = (typeof SALESFORCE_CHANGE_TYPES)[number];
