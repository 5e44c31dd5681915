/**
 * The floor: the fewest API calls a correct sync of the benchmark's edits needs, with no orchestration at all.
 * - Salesforce → Procore: on the CDC event (which carries the new values), one Procore PATCH.
 * - Procore → Salesforce: on the webhook (which carries no values), a Procore GET of the project and one
 *   Salesforce PATCH.
 * Its own writes are recognised as Tandem's are (changeOrigin `client=floor`, Procore's application id) and
 * dropped. Nothing is durable and nothing is retried: this is a lower bound, not a product.
 */
import type { Logger } from '../../common/logger';
import { madeByClient, type ChangeEvent } from '../../activities/salesforce/cdc/change-event';
import { followNewChangeEvents } from './change-events';
import {
  EDITED_FIELD,
  procoreClient,
  readProcoreProject,
  salesforceSession,
  SANDBOX_CREDENTIALS,
  type SandboxUrls,
} from './systems';
import { isProjectUpdate, receiveProcoreWebhooks, registerHook, type ProcoreWebhookEvent } from './webhook-receiver';

export const FLOOR_SALESFORCE_CLIENT = 'floor';
const FLOOR_HOOK_NAMESPACE = 'floor';

export interface Floor {
  stop(): Promise<void>;
}

export async function startFloor(pair: SandboxUrls, logger: Logger): Promise<Floor> {
  const procore = procoreClient(pair.procoreUrl);
  const session = salesforceSession(pair.salesforceUrl, FLOOR_SALESFORCE_CLIENT);
  const conn = await session.connection();
  // The links, read once at start: a real floor would keep them in its own store.
  const procoreIdOf = new Map<string, number>();
  const salesforceIdOf = new Map<number, string>();
  const links = await conn.query<{ Id: string; Procore_ID__c: string | null }>(
    'SELECT Id, Procore_ID__c FROM Project__c',
    { autoFetch: true, maxFetch: 100_000 },
  );
  for (const record of links.records) {
    if (!record.Procore_ID__c) continue;
    procoreIdOf.set(record.Id, Number(record.Procore_ID__c));
    salesforceIdOf.set(Number(record.Procore_ID__c), record.Id);
  }

  const toProcore = async (event: ChangeEvent) => {
    const header = event.payload.ChangeEventHeader;
    const value = event.payload[EDITED_FIELD.salesforceToProcore.salesforce];
    if (
      header.changeType !== 'UPDATE' ||
      madeByClient(header.changeOrigin, FLOOR_SALESFORCE_CLIENT) ||
      value === undefined
    )
      return;
    for (const salesforceId of header.recordIds) {
      const procoreId = procoreIdOf.get(salesforceId);
      if (procoreId === undefined) continue;
      await procore.request('PATCH', `/rest/v1.0/projects/${procoreId}`, {
        json: {
          company_id: procore.settings.companyId,
          project: { [EDITED_FIELD.salesforceToProcore.procore]: value },
        },
      });
    }
  };
  const toSalesforce = async (event: ProcoreWebhookEvent) => {
    const salesforceId = salesforceIdOf.get(event.resource_id);
    if (!salesforceId) return;
    const project = await readProcoreProject(procore, event.resource_id);
    await conn.sobject('Project__c').update({
      Id: salesforceId,
      [EDITED_FIELD.procoreToSalesforce.salesforce]: project[EDITED_FIELD.procoreToSalesforce.procore],
    });
  };
  const failed = (what: string) => (err: unknown) => logger.warn({ err }, `floor: ${what} failed`);

  const receiver = await receiveProcoreWebhooks((event) => {
    // A webhook by the floor's own Procore client is the echo of its own write.
    if (!isProjectUpdate(event) || event.metadata?.source_application_id === SANDBOX_CREDENTIALS.procore.clientId)
      return;
    toSalesforce(event).catch(failed('Procore → Salesforce'));
  });
  await registerHook(procore, FLOOR_HOOK_NAMESPACE, receiver.url);
  // Not awaited: the floor does not hold the stream while it writes.
  const subscriber = await followNewChangeEvents(
    session,
    async (event) => void toProcore(event).catch(failed('Salesforce → Procore')),
    logger,
  );
  return {
    stop: async () => {
      await subscriber.stop();
      await receiver.close();
    },
  };
}
