/**
 * A faithful local Procore: OAuth client credentials, Projects v1.0 (and the v1.1 list), project types and stages,
 * rate limits, webhooks, plus sandbox controls and a console page. One server answers both the login host and the
 * API host. What it does follows developers.procore.com; where that is silent, the less forgiving choice (README).
 */
import type { AddressInfo } from 'node:net';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { TokenAuthority, oauthRoutes } from './auth';
import { Company } from './company';
import { companyRoutes } from './company-routes';
import { consoleRoutes } from './console/routes';
import { controlRoutes } from './controls';
import { acceptEmptyJsonBodies } from './empty-json';
import { procoreErrorHandler, procoreNotFoundHandler } from './errors';
import { Faults } from './faults';
import { registerGateway } from './gateway';
import { projectRoutes } from './projects/routes';
import { ProjectService } from './projects/service';
import { RateLimiter, type RateLimitOptions } from './rate-limit';
import { ProjectReads } from './project-reads';
import { Stats } from './stats';
import { SandboxStore } from './store';
import { zodValidatorCompiler } from './validation';
import { seedProcoreStore } from '../seed/procore';
import type { SeedOptions } from '../seed/world';
import { WebhookDeliverer, type DelivererOptions } from './webhooks/deliverer';
import { webhookEventSource } from './webhooks/events';
import { webhookRoutes } from './webhooks/routes';

export interface ProcoreSandboxOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** JSON file that keeps state across restarts; without it state lives in memory. */
  dataFile?: string;
  clientId?: string;
  clientSecret?: string;
  companyId?: number;
  tokenLifetimeSeconds?: number;
  rateLimit?: { hourly?: number; spikeWindowSeconds?: number; spikeLimit?: number };
  webhookRetry?: { initialDelayMs?: number; maxAttempts?: number; timeoutMs?: number };
  /** Pre-existing projects generated from a seed, added on a first start (no projects yet) without webhooks. */
  seed?: SeedOptions;
  logger?: Logger | false;
}

export interface ProcoreSandbox {
  /** Base URL for both the login endpoints (`/oauth/...`) and the API (`/rest/...`). */
  url: string;
  companyId: number;
  close(): Promise<void>;
}

export const PROCORE_SANDBOX_DEFAULTS = {
  port: 4002,
  host: '127.0.0.1',
  clientId: 'tandem-procore-client',
  clientSecret: 'tandem-procore-secret',
  companyId: 4264807,
  tokenLifetimeSeconds: 5400,
  rateLimit: { hourly: 3600, spikeWindowSeconds: 10, spikeLimit: 100 },
  webhookRetry: { initialDelayMs: 1000, timeoutMs: 5000 },
  bodyLimitBytes: 1024 * 1024,
} as const;

function rateLimitOptions(options: ProcoreSandboxOptions): RateLimitOptions {
  return { ...PROCORE_SANDBOX_DEFAULTS.rateLimit, ...options.rateLimit };
}

function delivererOptions(options: ProcoreSandboxOptions): DelivererOptions {
  return { ...PROCORE_SANDBOX_DEFAULTS.webhookRetry, ...options.webhookRetry };
}

function baseUrl(app: FastifyInstance, host: string): string {
  const { port } = app.server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export async function startProcoreSandbox(options: ProcoreSandboxOptions = {}): Promise<ProcoreSandbox> {
  const d = PROCORE_SANDBOX_DEFAULTS;
  const logger: FastifyBaseLogger | undefined = options.logger || undefined;
  const store = new SandboxStore(options.dataFile);
  const company = new Company(options.companyId ?? d.companyId, store);
  if (options.seed) seedProcoreStore(store, company, options.seed);
  const authority = new TokenAuthority(
    { clientId: options.clientId ?? d.clientId, clientSecret: options.clientSecret ?? d.clientSecret },
    options.tokenLifetimeSeconds ?? d.tokenLifetimeSeconds,
  );
  const faults = new Faults();
  const stats = new Stats();
  const projects = new ProjectService(store, company);
  const deliverer = new WebhookDeliverer(store, stats, faults, logger, delivererOptions(options));
  projects.onChange(webhookEventSource(store, company, deliverer));

  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    bodyLimit: d.bodyLimitBytes,
    forceCloseConnections: true,
    // Per-request lines would drown the sandbox's own log of webhook deliveries.
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  acceptEmptyJsonBodies(app);
  app.setErrorHandler(procoreErrorHandler);
  app.setNotFoundHandler(procoreNotFoundHandler);
  registerGateway(app, { authority, company, faults, rateLimiter: new RateLimiter(rateLimitOptions(options)), stats });
  const projectReads = new ProjectReads();
  projectReads.watch(app);
  await app.register(oauthRoutes(authority, company));
  await app.register(companyRoutes(company, store));
  await app.register(projectRoutes({ store, company, projects, faults }));
  await app.register(webhookRoutes({ store, company, projects, deliverer }));
  await app.register(consoleRoutes({ store, company, projects }));
  await app.register(controlRoutes({ faults, stats, deliverer, projectReads }));

  const host = options.host ?? d.host;
  await app.listen({ port: options.port ?? d.port, host });
  deliverer.start();

  return {
    url: baseUrl(app, host),
    companyId: company.id,
    async close() {
      deliverer.close();
      await app.close();
      await store.flush();
    },
  };
}
