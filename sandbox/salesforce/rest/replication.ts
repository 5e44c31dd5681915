/** `GET /sobjects/{sObject}/updated/` and `/deleted/`: the replication API (rules in `../replication.ts`). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context';
import { sfErrors } from '../errors';
import { apiVersion } from './common';

interface WindowRequest {
  Params: { version: string; sobject: string };
  Querystring: { start?: string; end?: string };
}

export async function replicationRoutes(app: FastifyInstance, ctx: SandboxContext): Promise<void> {
  const checkObject = (request: FastifyRequest<WindowRequest>): void => {
    apiVersion(request);
    if (request.params.sobject !== ctx.schema.name) throw sfErrors.NOT_FOUND();
  };

  app.get<WindowRequest>('/services/data/:version/sobjects/:sobject/updated', async (request) => {
    checkObject(request);
    return ctx.replication.updated(request.query.start, request.query.end);
  });

  app.get<WindowRequest>('/services/data/:version/sobjects/:sobject/deleted', async (request) => {
    checkObject(request);
    return ctx.replication.deleted(request.query.start, request.query.end);
  });
}
