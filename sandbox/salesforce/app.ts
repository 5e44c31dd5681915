/** The Fastify application: Salesforce API routes (counted, fault-injected), sandbox controls and the console. */
import { createServer } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { CometdEndpoint } from './cometd';
import type { SandboxContext } from './context';
import { consoleRoutes } from './console/routes';
import {
  MAX_BODY_BYTES,
  apiVersionList,
  installApiHooks,
  installSalesforceErrors,
  requireSession,
} from './rest/common';
import { controlRoutes } from './rest/controls';
import { oauthRoutes } from './rest/oauth';
import { limitsRoutes } from './rest/limits';
import { queryRoutes } from './rest/query';
import { replicationRoutes } from './rest/replication';
import { sobjectRoutes } from './rest/sobjects';

export function buildApp(ctx: SandboxContext, logger: Logger): FastifyInstance {
  const baseLogger: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance: baseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_BODY_BYTES,
    routerOptions: { ignoreTrailingSlash: true },
    // CometD long-polls go to faye before Fastify sees them; faye reads and answers the raw request itself.
    serverFactory: (handler) =>
      createServer((request, response) => {
        if (!CometdEndpoint.handles(request.url)) return handler(request, response);
        ctx.stats.record(request.method ?? 'POST', '/cometd/:version');
        ctx.cometd.handle(request, response);
      }),
  });
  installSalesforceErrors(app);

  void app.register(async (api) => {
    installApiHooks(api, ctx, false);
    await oauthRoutes(api, ctx);
    api.get('/services/data', async () => apiVersionList());
  });
  void app.register(async (data) => {
    installApiHooks(data, ctx, true);
    data.addHook('preHandler', requireSession(ctx));
    await sobjectRoutes(data, ctx);
    await replicationRoutes(data, ctx);
    await queryRoutes(data, ctx);
    await limitsRoutes(data, ctx);
  });
  void app.register(async (controls) => controlRoutes(controls, ctx));
  void app.register(async (page) => consoleRoutes(page, ctx));
  return app;
}
