/**
 * Sees changes arrive on the far side, through each system's own change stream, never through the sync's logs:
 * - Salesforce → Procore: Procore's webhook for the sync's write (its timestamp is Procore's commit time), then a
 *   read of the project to confirm it holds the edit's value;
 * - Procore → Salesforce: the CDC event of the sync's write (changeOrigin `client=<sync>`), which carries the value;
 *   its arrival time is the observation, as CDC commit timestamps only have whole seconds.
 */
import type { Logger } from '../../common/logger';
import { madeByClient, type ChangeEvent } from '../../activities/salesforce/cdc/change-event';
import type { OwnCalls } from './api-calls';
import { followNewChangeEvents } from './change-events';
import { preciseNow } from './clock';
import {
  EDITED_FIELD,
  procoreClient,
  readProcoreProject,
  salesforceSession,
  SANDBOX_CREDENTIALS,
  type SandboxUrls,
} from './systems';
import type { Observation } from './tracker';
import { isProjectUpdate, receiveProcoreWebhooks, registerHook, type ProcoreWebhookEvent } from './webhook-receiver';

export interface ObserverOptions {
  /** changeOrigin `client=` of the sync's Salesforce writes. */
  syncSalesforceClient: string;
  onObservation(observation: Observation): void;
  ownCalls: OwnCalls;
  logger: Logger;
}

export interface Observers {
  stop(): Promise<void>;
}

const OBSERVER_HOOK_NAMESPACE = 'tandem-bench';

/** `2020-07-20T15:22:01.353581Z` to epoch ms, keeping the microseconds. */
export function microsecondTime(timestamp: string): number {
  const match = /\.(\d+)Z$/.exec(timestamp);
  const fraction = match ? Number(`0.${match[1]}`) * 1000 : 0;
  return Date.parse(timestamp.replace(/\.\d+Z$/, 'Z')) + fraction;
}

export async function observePair(pair: SandboxUrls, options: ObserverOptions): Promise<Observers> {
  const procore = procoreClient(pair.procoreUrl);
  const syncApplicationId = SANDBOX_CREDENTIALS.procore.clientId;
  const confirm = async (event: ProcoreWebhookEvent) => {
    options.ownCalls.countProcore('GET /rest/v1.0/projects/:id');
    const project = await readProcoreProject(procore, event.resource_id);
    const value = project[EDITED_FIELD.salesforceToProcore.procore];
    if (typeof value === 'string')
      options.onObservation({ direction: 'salesforceToProcore', value, at: microsecondTime(event.timestamp) });
  };
  const receiver = await receiveProcoreWebhooks((event) => {
    if (!isProjectUpdate(event) || event.metadata?.source_application_id !== syncApplicationId) return;
    confirm(event).catch((err: unknown) => options.logger.warn({ err }, 'could not confirm a Procore write'));
  });
  await registerHook(procore, OBSERVER_HOOK_NAMESPACE, receiver.url);

  const session = salesforceSession(pair.salesforceUrl, 'bench-observer');
  const cityField = EDITED_FIELD.procoreToSalesforce.salesforce;
  const onEvent = async (event: ChangeEvent) => {
    const at = preciseNow();
    if (!madeByClient(event.payload.ChangeEventHeader.changeOrigin, options.syncSalesforceClient)) return;
    const value = event.payload[cityField];
    if (typeof value === 'string') options.onObservation({ direction: 'procoreToSalesforce', value, at });
  };
  const subscriber = await followNewChangeEvents(session, onEvent, options.logger);
  return {
    stop: async () => {
      await subscriber.stop();
      await receiver.close();
    },
  };
}
