/** The ingress HTTP server: one Fastify plugin per route group. */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../common/logger';
import { installErrorHandler } from './error-handler';
import { procoreWebhooksPlugin, type ProcoreWebhookOptions } from './procore-webhooks/plugin';

export interface IngressOptions {
  logger: Logger;
  procoreWebhooks: ProcoreWebhookOptions;
}

export async function buildIngress(options: IngressOptions): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: options.logger as FastifyBaseLogger, bodyLimit: 256 * 1024 });
  installErrorHandler(app);
  app.get('/healthz', async () => ({ ok: true }));
  await app.register(procoreWebhooksPlugin, options.procoreWebhooks);
  return app;
}
