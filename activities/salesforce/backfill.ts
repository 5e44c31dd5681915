/**
 * The Salesforce side of a backfill: every Project__c record, deleted ones too (SOQL paged through queryMore with
 * scanAll), and the link write: `Procore_ID__c`, plus the values the plan chose, only if the record is unchanged.
 */
import { toApplicationFailure } from '../../common/errors';
import type { SalesforceCandidate } from '../../mappings/matching/types';
import { classifySalesforceError } from './failures';
import { parseSalesforceDateTime } from './project-activities';
import type { SalesforceSession } from './session';
import type { LinkOutcome, SalesforceLinkWrite } from './types';

const LINK_FIELD = 'Procore_ID__c';

export async function readAllSalesforceProjects(
  session: SalesforceSession,
  fieldNames: string[],
): Promise<SalesforceCandidate[]> {
  const conn = await session.connection();
  const fields = [...new Set(['Id', 'IsDeleted', 'LastModifiedDate', LINK_FIELD, ...fieldNames])];
  type Row = Record<string, unknown> & { Id: string };
  const rows: Row[] = [];
  let page = await conn.query<Row>(`SELECT ${fields.join(', ')} FROM Project__c`, { scanAll: true, autoFetch: false });
  rows.push(...page.records);
  while (!page.done && page.nextRecordsUrl) {
    page = await conn.queryMore<Row>(page.nextRecordsUrl);
    rows.push(...page.records);
  }
  return rows.map(({ attributes: _attributes, ...values }) => ({
    id: String(values.Id),
    deleted: values.IsDeleted === true,
    procoreId: typeof values[LINK_FIELD] === 'string' && values[LINK_FIELD] ? String(values[LINK_FIELD]) : null,
    modifiedAt: parseSalesforceDateTime(values.LastModifiedDate),
    fields: values,
  }));
}

export function createSalesforceBackfillActivities(session: SalesforceSession) {
  return {
    /** Idempotent: a record already naming this project is left as it is; one naming another is never overwritten. */
    async linkSalesforceRecord(write: SalesforceLinkWrite): Promise<LinkOutcome> {
      try {
        const conn = await session.connection();
        const found = await conn.query<Record<string, unknown>>(
          `SELECT Id, LastModifiedDate, ${LINK_FIELD} FROM Project__c WHERE Id = '${write.salesforceId.replace(/'/g, '')}'`,
        );
        const record = found.records[0];
        if (!record) return 'gone';
        const current = record[LINK_FIELD] ? String(record[LINK_FIELD]) : null;
        if (current && current !== write.procoreId) return 'linked-elsewhere';
        const unchanged = parseSalesforceDateTime(record.LastModifiedDate) === write.expectedModifiedAt;
        const values = unchanged ? write.values : {};
        if (current === write.procoreId && Object.keys(values).length === 0) return 'already';
        await conn.sobject('Project__c').update({ Id: write.salesforceId, ...values, [LINK_FIELD]: write.procoreId });
        return 'written';
      } catch (err) {
        throw toApplicationFailure(classifySalesforceError(err, write.salesforceId));
      }
    },
  };
}
