/**
 * The demo console: both sandboxes' projects side by side, with each project's sync status and its
 * workflow in the Temporal UI. Server-rendered, no build step; `tandem start` serves it beside the sandboxes.
 */
import Fastify from 'fastify';
import { installErrorHandler } from '../../ingress/error-handler';
import { consoleRoutes } from './routes';

export interface SandboxConsoleOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  salesforceUrl: string;
  procoreUrl: string;
  operatorApiUrl: string;
  operatorApiToken?: string;
  temporalUiUrl: string;
  namespace: string;
}

export interface SandboxConsole {
  url: string;
  close(): Promise<void>;
}

const withoutSlash = (url: string) => url.replace(/\/+$/, '');

export async function startSandboxConsole(options: SandboxConsoleOptions): Promise<SandboxConsole> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  installErrorHandler(app);
  await app.register(consoleRoutes, {
    salesforceUrl: withoutSlash(options.salesforceUrl),
    procoreUrl: withoutSlash(options.procoreUrl),
    operatorApiUrl: withoutSlash(options.operatorApiUrl),
    operatorApiToken: options.operatorApiToken,
    temporalUi: { url: withoutSlash(options.temporalUiUrl), namespace: options.namespace },
  });
  const url = await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  return { url, close: () => app.close() };
}
