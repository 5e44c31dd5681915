/**
 * /healthz (the process is up), /readyz (Temporal and both systems answer) and /metrics (Prometheus).
 * Readiness results are cached briefly: a probe every few seconds must not spend the systems' API budgets.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Gauge, Registry } from 'prom-client';
import { errors } from '../../common/errors';
import { registry } from '../../common/metrics';
import { bearerMatches } from '../operator-api/plugin';

export type ReadinessCheck = () => Promise<void>;

export interface HealthOptions {
  checks: Record<string, ReadinessCheck>;
  /** Counted on each scrape: how many records are parked. */
  countParked?: () => Promise<number>;
  cacheMs?: number;
  /** Bearer token that /metrics requires, when set. */
  metricsToken?: string;
}

interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

export const healthPlugin: FastifyPluginAsync<HealthOptions> = async (app, options) => {
  let cached: { at: number; value: Readiness } | undefined;
  const cacheMs = options.cacheMs ?? 15_000;

  // Its own registry: the plugin may be registered by several apps in one process (tests), the gauge only once each.
  const scrapeTime = new Registry();
  new Gauge({
    name: 'tandem_parked_records',
    help: 'ProjectSync workflows parked with SyncStatus=error (counted in Temporal at scrape time)',
    registers: [scrapeTime],
    collect: async function collect() {
      if (options.countParked) this.set(await options.countParked().catch(() => -1));
    },
  });

  async function readiness(): Promise<Readiness> {
    if (cached && Date.now() - cached.at < cacheMs) return cached.value;
    const entries = await Promise.all(
      Object.entries(options.checks).map(async ([name, check]) => {
        try {
          await check();
          return [name, { ok: true }] as const;
        } catch (err) {
          return [name, { ok: false, error: (err as Error).message }] as const;
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    const value = { ready: entries.every(([, r]) => r.ok), checks };
    cached = { at: Date.now(), value };
    return value;
  }

  app.get(
    '/healthz',
    {
      schema: {
        summary: 'The process is up',
        response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } },
      },
    },
    async () => ({ ok: true }),
  );

  app.get('/readyz', { schema: { summary: 'Temporal, Salesforce and Procore answer' } }, async (_request, reply) => {
    const result = await readiness();
    return reply.status(result.ready ? 200 : 503).send(result);
  });

  app.get('/metrics', { schema: { summary: 'Prometheus metrics' } }, async (request, reply) => {
    if (options.metricsToken && !bearerMatches(request.headers.authorization, options.metricsToken))
      throw errors.API_UNAUTHORIZED();
    const text = `${await registry.metrics()}\n${await scrapeTime.metrics()}`;
    return reply.type(registry.contentType).send(text);
  });
};
