/** The ingress process: Procore webhooks, the operator API, health and metrics over HTTP. */
import { setTimeout as delay } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { TandemConfig } from '../common/config';
import { eventsReceived } from '../common/metrics';
import type { Logger } from '../common/logger';
import type { ProcoreClient } from '../activities/procore/client';
import type { SalesforceSession } from '../activities/salesforce/session';
import { procoreClient, salesforceSession } from './systems';
import { connectClient } from './temporal/connection';
import type { Running } from './lifecycle';
import { countParked } from '../ingress/operator-api/projects';
import { WebhookKeeper } from '../ingress/procore-webhooks/keeper';
import { assertIngressSecure } from '../common/secure-config';
import { buildIngress } from '../ingress/server';
import { syncSettings } from './sync-settings';
import { ProcoreLinks } from '../ingress/procore-links';

const FIRST_REGISTRATION_WAIT_MS = 5_000;

export function webhookAuthorization(config: TandemConfig): string {
  return `Bearer ${config.PROCORE_WEBHOOK_SECRET}`;
}

/** Cheap calls that prove each dependency answers with the configured credentials. */
function readinessChecks(client: Client, salesforce: SalesforceSession, procore: ProcoreClient) {
  return {
    temporal: async () => void (await client.connection.workflowService.getSystemInfo({})),
    salesforce: async () => void (await (await salesforce.connection()).sobject('Project__c').describe()),
    procore: async () =>
      void (await procore.request('GET', `/rest/v1.0/companies/${procore.settings.companyId}/project_stages`)),
  };
}

/** Where Procore delivers: the public URL; only a sandbox beside the ingress may use the listen address. */
function webhookDestination(config: TandemConfig, listenAddress: string): string {
  return `${config.INGRESS_PUBLIC_URL ?? listenAddress}/webhooks/procore`;
}

export async function startIngress(config: TandemConfig, logger: Logger): Promise<Running> {
  assertIngressSecure(config);
  const client = await connectClient(config);
  const procore = procoreClient(config);
  const keeper = new WebhookKeeper({
    procore,
    authorization: webhookAuthorization(config),
    recheckMs: config.WEBHOOK_RECHECK_MS,
    logger,
  });
  const procoreLinks = new ProcoreLinks(client, (procoreProjectId, err) =>
    logger.debug({ procoreProjectId, err: String(err) }, 'could not read a link from Temporal visibility'),
  );
  // In the background: until a link is loaded, its project's webhooks look it up one by one.
  const loading = Date.now();
  void procoreLinks.loadAll().then(
    (links) => logger.info({ links, ms: Date.now() - loading }, 'links loaded from Temporal visibility'),
    (err: unknown) =>
      logger.warn({ err: String(err) }, 'could not load links from Temporal visibility; learning them one by one'),
  );
  const handoff = {
    client,
    syncSettings: syncSettings(config),
    createInSalesforce: config.TANDEM_CREATE_IN_SALESFORCE === 'on',
    procoreLinks,
  };
  const app = await buildIngress({
    logger,
    procoreWebhooks: {
      handoff,
      expectedAuthorization: webhookAuthorization(config),
      applicationId: config.PROCORE_CLIENT_ID,
      companyId: config.PROCORE_COMPANY_ID,
      onAccepted: () => eventsReceived.inc({ source: 'procore' }),
    },
    operatorApi: { handoff, apiToken: config.TANDEM_API_TOKEN, temporalUiUrl: config.TEMPORAL_UI_URL },
    health: {
      checks: { ...readinessChecks(client, salesforceSession(config), procore), procoreWebhook: keeper.readinessCheck },
      countParked: () => countParked(client),
      metricsToken: config.TANDEM_API_TOKEN,
    },
  });
  const address = await app.listen({ host: config.INGRESS_HOST, port: config.INGRESS_PORT });
  // A Procore that answers normally has the hook before the ingress says it is ready; one that does not, delays
  // nothing beyond this: registration goes on in the background.
  await Promise.race([
    keeper.start(webhookDestination(config, address)),
    delay(FIRST_REGISTRATION_WAIT_MS, undefined, { ref: false }),
  ]);
  logger.info({ address, procoreWebhook: keeper.status() }, 'ingress listening');

  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  return {
    url: address,
    done,
    shutdown: () => {
      void keeper
        .stop()
        .then(() => app.close())
        .then(() => client.connection.close())
        .finally(resolveDone);
    },
  };
}
