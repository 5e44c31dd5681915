/** The ingress HTTP server: one Fastify plugin per route group, and the OpenAPI description built from their schemas. */
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../common/logger';
import { installErrorHandler } from './error-handler';
import { healthPlugin, type HealthOptions } from './health/plugin';
import { operatorApiPlugin, type OperatorApiOptions } from './operator-api/plugin';
import { operatorUiPlugin } from './operator-ui/plugin';
import { procoreWebhooksPlugin, type ProcoreWebhookOptions } from './procore-webhooks/plugin';

export interface IngressOptions {
  logger: Logger;
  procoreWebhooks: ProcoreWebhookOptions;
  operatorApi: OperatorApiOptions;
  health: HealthOptions;
}

export async function buildIngress(options: IngressOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: 256 * 1024,
    // A union of types is meant where a schema has one: Procore sends a webhook's id as a number or a string.
    ajv: { customOptions: { allowUnionTypes: true } },
  });
  installErrorHandler(app);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Tandem ingress and operator API', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(healthPlugin, options.health);
  await app.register(procoreWebhooksPlugin, options.procoreWebhooks);
  await app.register(operatorApiPlugin, options.operatorApi);
  await app.register(operatorUiPlugin, { tokenRequired: Boolean(options.operatorApi.apiToken) });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
