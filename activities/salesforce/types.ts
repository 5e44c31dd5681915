/** What the Salesforce activities hand back to workflows (plain JSON). */
export type SalesforceRecordStatus = 'live' | 'deleted' | 'missing';

export interface SalesforceProjectRecord {
  id: string;
  status: SalesforceRecordStatus;
  /** Raw field values (REST form); empty unless live. */
  fields: Record<string, unknown>;
  /** LastModifiedDate in epoch ms; 0 unless live. */
  lastModifiedAt: number;
}

/** The Salesforce activities workflows call (task queue `salesforce-api`). */
export interface SalesforceActivities {
  readSalesforceProject(salesforceId: string): Promise<SalesforceProjectRecord>;
  updateSalesforceProject(salesforceId: string, fields: Record<string, unknown>): Promise<void>;
}
