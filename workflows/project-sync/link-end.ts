/**
 * Deletes on purpose. A linked Procore project that answers 404 was deleted (Procore
 * support deletes projects; the API and webhooks have no delete): the link ends, once. The Salesforce record says
 * so (`Procore_Link_Status__c = Deleted in Procore`, Procore_ID__c kept as the record of which project it was), the
 * sync shows `unlinked`, and from then on it reads and writes nothing: no endless parking on the 404, no new project.
 * A Salesforce NOT_FOUND, unlike ENTITY_IS_DELETED, is not taken for a delete: it parks, naming lost access.
 */
import { errors } from '../../common/errors';
import type { SalesforceProjectRecord } from '../../activities/salesforce/types';
import { LINK_ENDED_PROCORE_DELETED, SALESFORCE_LINK_STATUS_FIELD } from '../../mappings/link-field';
import type { ParkReason } from '../failures';
import type { ProjectSyncModel } from './model';
import type { QueuedChange } from './messages';

/** Whether the failure says the linked Procore project is gone. */
export function procoreProjectGone(model: ProjectSyncModel, reason: ParkReason): boolean {
  return reason.code === errors.PROCORE_PROJECT_NOT_FOUND.code && model.state.link.procoreProjectId !== null;
}

export function endLink(model: ProjectSyncModel, now: number): void {
  model.state.link.ended = { reason: 'deleted-in-procore', at: now, toldSalesforce: false };
}

/** A batch after the link ended: tells Salesforce once, then only remembers the events it was sent. */
export async function endedLinkBatch(
  model: ProjectSyncModel,
  batch: QueuedChange[],
  writeSalesforce: (salesforceId: string, fields: Record<string, unknown>) => Promise<void>,
): Promise<void> {
  for (const item of batch) if (item.kind !== 'resync') model.remember(item.change.eventId);
  const ended = model.state.link.ended;
  if (!ended || ended.toldSalesforce) return;
  if (!model.state.deletedInSalesforce)
    await writeSalesforce(model.state.link.salesforceId, {
      [SALESFORCE_LINK_STATUS_FIELD]: LINK_ENDED_PROCORE_DELETED,
    });
  ended.toldSalesforce = true;
}

/** A record Salesforce does not show (NOT_FOUND) parks instead of passing for deleted. */
export function visibleOrPark(record: SalesforceProjectRecord): SalesforceProjectRecord {
  if (record.status === 'missing') throw errors.SALESFORCE_RECORD_NOT_VISIBLE(record.id);
  return record;
}
