/** The ingress process: Procore webhooks (and the operator API) over HTTP, handed to Temporal. */
import type { TandemConfig } from '../common/config';
import type { Logger } from '../common/logger';
import { procoreClient } from '../workers/systems';
import { connectClient } from '../workers/temporal-connection';
import type { RunningWorkers } from '../workers/sync-worker';
import { registerProcoreWebhook } from './procore-webhooks/register';
import { buildIngress } from './server';

export function webhookAuthorization(config: TandemConfig): string {
  return `Bearer ${config.PROCORE_WEBHOOK_SECRET}`;
}

export async function startIngress(config: TandemConfig, logger: Logger): Promise<RunningWorkers> {
  const client = await connectClient(config);
  const app = await buildIngress({
    logger,
    procoreWebhooks: {
      handoff: { client, syncSettings: { coalesceWindowMs: config.TANDEM_COALESCE_MS } },
      expectedAuthorization: webhookAuthorization(config),
      applicationId: config.PROCORE_CLIENT_ID,
      companyId: config.PROCORE_COMPANY_ID,
    },
  });
  const address = await app.listen({ host: config.INGRESS_HOST, port: config.INGRESS_PORT });
  const publicUrl = config.INGRESS_PUBLIC_URL ?? address;
  const { hookId, created } = await registerProcoreWebhook(procoreClient(config), `${publicUrl}/webhooks/procore`, webhookAuthorization(config));
  logger.info({ address, hookId, hookCreated: created }, 'ingress listening; Procore webhook registered');

  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  return {
    url: address,
    done,
    shutdown: () => {
      void app
        .close()
        .then(() => client.connection.close())
        .finally(resolveDone);
    },
  };
}
