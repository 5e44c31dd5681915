/** The Salesforce activities ProjectSync calls: read and update one Project__c record through jsforce. */
import { toApplicationFailure } from '../../common/errors';
import { SALESFORCE_LINK_FIELD } from '../../mappings/link-field';
import type { SalesforceActivities, SalesforceProjectRecord, SalesforceWriteOutcome } from './types';
import { classifySalesforceError, errorCodeOf, MISSING_RECORD } from './failures';
import type { SalesforceSession } from './session';

const SOBJECT = 'Project__c';

/** Salesforce's answer to a conditional PATCH on a record changed since the given date (jsforce's errorCode). */
const PRECONDITION_FAILED = new Set(['PRECONDITION_FAILED', 'ERROR_HTTP_412']);

/**
 * Temporal retries the activity. jsforce's own retries of a GET answered 5xx (5 more, 0.5 s doubling: 15.5 s) would
 * outlast the activity's 15 s start-to-close timeout, so an outage would park as a timeout, after minutes.
 */
const ONE_TRY = { retry: { maxRetries: 0 } };

/** Salesforce REST datetimes look like `2024-05-01T10:00:00.000+0000`, which Date.parse does not take as is. */
export function parseSalesforceDateTime(value: unknown): number {
  if (typeof value !== 'string') return 0;
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/**
 * The mapped Salesforce fields, or how to get them now: a worker asks its mapping source on every read, so a field
 * added by `tandem mapping apply` is read from then on (a read without it would tell the sync the field is empty).
 */
export type MappedSalesforceFields = string[] | (() => Promise<string[]>);

export function createSalesforceActivities(
  session: SalesforceSession,
  fieldNames: MappedSalesforceFields,
): SalesforceActivities {
  // The link field too: a record that already names its Procore project is adopted, not given a second one.
  const fieldsToRead = async () => {
    const mapped = typeof fieldNames === 'function' ? await fieldNames() : fieldNames;
    return [...new Set(['Id', 'LastModifiedDate', SALESFORCE_LINK_FIELD, ...mapped])];
  };

  return {
    async readSalesforceProject(salesforceId: string): Promise<SalesforceProjectRecord> {
      try {
        const fields = await fieldsToRead();
        const conn = await session.connection();
        const record = await conn.request<Record<string, unknown>>(
          { method: 'GET', url: `/sobjects/${SOBJECT}/${encodeURIComponent(salesforceId)}?fields=${fields.join(',')}` },
          ONE_TRY,
        );
        const { attributes: _attributes, ...values } = record;
        return {
          id: salesforceId,
          status: 'live',
          fields: values,
          lastModifiedAt: parseSalesforceDateTime(record.LastModifiedDate),
        };
      } catch (err) {
        const code = errorCodeOf(err);
        if (MISSING_RECORD.has(code))
          return {
            id: salesforceId,
            status: code === 'ENTITY_IS_DELETED' ? 'deleted' : 'missing',
            fields: {},
            lastModifiedAt: 0,
          };
        throw toApplicationFailure(classifySalesforceError(err, salesforceId));
      }
    },

    async updateSalesforceProject(salesforceId: string, values: Record<string, unknown>): Promise<void> {
      try {
        const conn = await session.connection();
        await conn.sobject(SOBJECT).update({ Id: salesforceId, ...values });
      } catch (err) {
        throw toApplicationFailure(classifySalesforceError(err, salesforceId));
      }
    },

    async updateSalesforceProjectIfUnmodified(salesforceId, values, unmodifiedSince): Promise<SalesforceWriteOutcome> {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (unmodifiedSince !== null) headers['if-unmodified-since'] = new Date(unmodifiedSince).toUTCString();
      try {
        const conn = await session.connection();
        await conn.request({
          method: 'PATCH',
          url: `/sobjects/${SOBJECT}/${encodeURIComponent(salesforceId)}`,
          body: JSON.stringify(values),
          headers,
        });
        return 'written';
      } catch (err) {
        if (PRECONDITION_FAILED.has(errorCodeOf(err))) return 'modified';
        throw toApplicationFailure(classifySalesforceError(err, salesforceId));
      }
    },
  };
}
