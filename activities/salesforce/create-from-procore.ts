/**
 * A project born in Procore gets its Salesforce record exactly once: a record already naming the project in
 * `Procore_ID__c` is the one (a retried attempt whose answer was lost finds it, and writes nothing over a person's
 * later edits); otherwise an upsert on that external id creates it, so two racing creators still make one record.
 */
import { toApplicationFailure } from '../../common/errors';
import { toSalesforceId18 } from '../../common/salesforce-id';
import { SALESFORCE_LINK_FIELD } from '../../mappings/link-field';
import { salesforceValuesForProcoreProject } from '../../mappings/salesforce-create';
import type { ProjectMapping } from '../../mappings/types';
import { classifySalesforceError, errorCodeOf } from './failures';
import type { SalesforceSession } from './session';
import type { SalesforceCreationActivities, SalesforceRecordForProcore } from './types';

const SOBJECT = 'Project__c';

/** A SOQL string literal's body: backslashes and quotes escaped. */
const soqlText = (value: string) => value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");

interface UpsertAnswer {
  id?: string;
  created?: boolean;
}

export function createSalesforceCreationActivities(
  session: SalesforceSession,
  /** The worker's mapping in force: a changed mapping file applies to the next record created. */
  currentMapping: () => ProjectMapping,
): SalesforceCreationActivities {
  async function recordNaming(procoreProjectId: string): Promise<string | null> {
    const conn = await session.connection();
    const found = await conn.query<{ Id: string }>(
      `SELECT Id FROM ${SOBJECT} WHERE ${SALESFORCE_LINK_FIELD} = '${soqlText(procoreProjectId)}' LIMIT 1`,
    );
    return toSalesforceId18(found.records[0]?.Id ?? null);
  }

  async function upsert(
    procoreProjectId: string,
    project: Record<string, unknown>,
  ): Promise<SalesforceRecordForProcore> {
    const { values } = salesforceValuesForProcoreProject(currentMapping(), project);
    const conn = await session.connection();
    const answer = (await conn
      .sobject(SOBJECT)
      .upsert({ ...values, [SALESFORCE_LINK_FIELD]: procoreProjectId }, SALESFORCE_LINK_FIELD)) as UpsertAnswer;
    // `created: false`: another creator committed between the lookup and the upsert, which then updated its record.
    const created = answer.created !== false;
    const salesforceId = toSalesforceId18(answer.id ?? null);
    if (salesforceId) return { salesforceId, created };
    // An update answered 204 (API versions before 46) names no record: look it up.
    const found = await recordNaming(procoreProjectId);
    if (!found) throw new Error(`upsert of Procore project ${procoreProjectId} answered without a record id`);
    return { salesforceId: found, created: false };
  }

  return {
    async createSalesforceProjectForProcore(procoreProjectId, project): Promise<SalesforceRecordForProcore> {
      try {
        const existing = await recordNaming(procoreProjectId);
        if (existing) return { salesforceId: existing, created: false };
        try {
          return await upsert(procoreProjectId, project);
        } catch (err) {
          // Another creator committed between the lookup and the upsert: its record is the one.
          if (errorCodeOf(err) !== 'DUPLICATE_VALUE') throw err;
          const raced = await recordNaming(procoreProjectId);
          if (!raced) throw err;
          return { salesforceId: raced, created: false };
        }
      } catch (err) {
        throw toApplicationFailure(classifySalesforceError(err, procoreProjectId));
      }
    },
  };
}
