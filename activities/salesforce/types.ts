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
  /**
   * PATCH with `If-Unmodified-Since` (epoch ms, sent as an HTTP-date; none when null): `modified` when Salesforce
   * answered 412 because the record changed after that second, and nothing was written.
   */
  updateSalesforceProjectIfUnmodified(
    salesforceId: string,
    fields: Record<string, unknown>,
    unmodifiedSince: number | null,
  ): Promise<SalesforceWriteOutcome>;
}

export type SalesforceWriteOutcome = 'written' | 'modified';
