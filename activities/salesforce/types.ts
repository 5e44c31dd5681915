/** What the Salesforce activities hand back to workflows (plain JSON), and the change events they hand over. */
import type { SalesforceChangeType } from '../../common/salesforce-change-types';

export { SALESFORCE_CHANGE_TYPES, type SalesforceChangeType } from '../../common/salesforce-change-types';

/** One record's part of a Salesforce change event, as the CDC subscriber hands it over. */
export interface SalesforceChange {
  /** `transactionKey:sequenceNumber:recordId`: stable across replays of the same event. */
  eventId: string;
  changeType: SalesforceChangeType;
  /** Commit time in epoch ms (ChangeEventHeader.commitTimestamp). */
  commitTimestamp: number;
  /** The change came through Tandem's own API client (changeOrigin `client=`). */
  madeByTandem: boolean;
  /** Raw body fields of the event (absent fields did not change). */
  fields: Record<string, unknown>;
  replayId?: number;
}

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

/** What a backfill link write did: wrote, found it done, or left the record alone. */
export type LinkOutcome = 'written' | 'already' | 'linked-elsewhere' | 'gone';

export interface SalesforceLinkWrite {
  salesforceId: string;
  procoreId: string;
  /** The plan's values are written only if LastModifiedDate is still this (epoch ms); the link is written anyway. */
  expectedModifiedAt: number;
  values: Record<string, unknown>;
}

/** The backfill's Salesforce activity (task queue `salesforce-api`). */
export interface SalesforceBackfillActivities {
  linkSalesforceRecord(write: SalesforceLinkWrite): Promise<LinkOutcome>;
}

/** The Salesforce record of a project born in Procore: found by `Procore_ID__c`, or just created by the upsert. */
export interface SalesforceRecordForProcore {
  /** 18 characters: it becomes the project's origin_id. */
  salesforceId: string;
  created: boolean;
}

/** Creating records for projects born in Procore (task queue `salesforce-api`). */
export interface SalesforceCreationActivities {
  /**
   * The record whose `Procore_ID__c` is the project's id; when none exists, an upsert on that external id creates it
   * with the mapped fields of `project` (Procore's show form), so a retried attempt never makes a second one.
   */
  createSalesforceProjectForProcore(
    procoreProjectId: string,
    project: Record<string, unknown>,
  ): Promise<SalesforceRecordForProcore>;
}
