/**
 * Projects born in Procore: a project a person created in Procore, whose origin_id is empty, gets its Salesforce
 * record (upserted on `Procore_ID__c`, so a retried activity or a second adoption makes no second record), and then
 * its origin_id names that record. From then on the two are an ordinary linked pair. The router (webhooks) and the
 * backfill both adopt through here.
 *
 * Tandem's own Procore projects are never adopted: ProjectSync creates them with origin_id in the create body, so
 * they are linked from birth, and their webhooks carry Tandem's application id (the router drops those unread).
 */
import { log, proxyActivities } from '@temporalio/workflow';
import type { ProcoreBackfillActivities, ProcoreProjectRecord } from '../../activities/procore/types';
import type { SalesforceCreationActivities } from '../../activities/salesforce/types';
import { procoreApiOptions, salesforceApiOptions } from '../activity-options';
import { parkReason } from '../failures';
import type { ProcoreChange } from '../project-sync/messages';

const salesforce = proxyActivities<SalesforceCreationActivities>(salesforceApiOptions);
const procore = proxyActivities<Pick<ProcoreBackfillActivities, 'linkProcoreProject'>>(procoreApiOptions);

export type Adoption =
  | { outcome: 'adopted'; salesforceId: string; created: boolean }
  /** origin_id was set to another record meanwhile, or the project is gone: the record made for it is reported. */
  | { outcome: 'linked-elsewhere' | 'gone'; salesforceId: string };

/** Salesforce first: origin_id is written only once the record it names exists. */
export async function adoptProcoreProject(project: ProcoreProjectRecord): Promise<Adoption> {
  const { salesforceId, created } = await salesforce.createSalesforceProjectForProcore(project.id, project.fields);
  const link = await procore.linkProcoreProject({
    procoreId: project.id,
    salesforceId,
    expectedModifiedAt: 0,
    values: {},
  });
  if (link === 'linked-elsewhere' || link === 'gone') return { outcome: link, salesforceId };
  return { outcome: 'adopted', salesforceId, created };
}

/** What the router does with an event for a project no origin_id links: route it, leave it, or try again later. */
export type UnlinkedRoute = { salesforceId: string } | 'left-alone' | 'creation-off' | 'unreachable';

export async function routeUnlinkedProject(
  project: ProcoreProjectRecord,
  change: ProcoreChange,
  createInSalesforce: boolean,
): Promise<UnlinkedRoute> {
  const procoreProjectId = project.id;
  if (project.originId) {
    log.info('Procore project’s origin_id names no Salesforce record (another integration’s key?); left alone', {
      procoreProjectId,
      originId: project.originId,
    });
    return 'left-alone';
  }
  if (change.eventType === 'delete') return 'left-alone';
  if (!createInSalesforce) {
    log.info(
      'Procore project is not linked to Salesforce, and creating records for projects born in Procore is off ' +
        '(TANDEM_CREATE_IN_SALESFORCE=off); left alone',
      { procoreProjectId },
    );
    return 'creation-off';
  }
  try {
    const adoption = await adoptProcoreProject(project);
    if (adoption.outcome === 'adopted') {
      log.info(
        adoption.created
          ? 'Created the Salesforce record of a project born in Procore'
          : 'Linked the Salesforce record that already names the Procore project',
        {
          procoreProjectId,
          salesforceId: adoption.salesforceId,
        },
      );
      return { salesforceId: adoption.salesforceId };
    }
    log.warn('Procore project was linked elsewhere or deleted while its Salesforce record was made; left alone', {
      procoreProjectId,
      salesforceId: adoption.salesforceId,
      outcome: adoption.outcome,
    });
    return 'left-alone';
  } catch (err) {
    const reason = parkReason(err);
    if (!reason) throw err;
    if (reason.retryable) {
      log.warn('Could not make the Salesforce record of a project born in Procore; trying again shortly', {
        procoreProjectId,
        ...reason,
      });
      return 'unreachable';
    }
    log.warn('Salesforce refused the record of a project born in Procore; left alone until its next change', {
      procoreProjectId,
      ...reason,
    });
    return 'left-alone';
  }
}
