/** Sandbox controls under `/sandbox/`: the fault switch, call statistics, project reads and a health check. */
import type { FastifyInstance } from 'fastify';
import { faultsSchema, type Faults, type FaultsInput } from './faults';
import type { ProjectReads } from './project-reads';
import type { Stats } from './stats';
import type { WebhookDeliverer } from './webhooks/deliverer';

export interface ControlParts {
  faults: Faults;
  stats: Stats;
  deliverer: WebhookDeliverer;
  projectReads: ProjectReads;
}

export function controlRoutes({ faults, stats, deliverer, projectReads }: ControlParts) {
  return async function controlsPlugin(app: FastifyInstance): Promise<void> {
    app.get('/sandbox/health', async () => ({ ok: true }));
    app.get('/sandbox/stats', async () => stats.report(deliverer.pending()));
    app.get('/sandbox/project-reads', async () => projectReads.report());
    app.get('/sandbox/faults', async () => faults.snapshot());
    app.post<{ Body: FaultsInput }>('/sandbox/faults', { schema: { body: faultsSchema } }, async (request) =>
      faults.set(request.body),
    );
    app.delete('/sandbox/faults', async () => faults.clear());
  };
}
