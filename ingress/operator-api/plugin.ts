/**
 * The operator API: a project's sync state, re-syncs, and the list of parked records. Bearer-token protected
 * when TANDEM_API_TOKEN is set.
 */
import { timingSafeEqual } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyPluginAsync } from 'fastify';
import { errors } from '../../common/errors';
import { toSalesforceId18 } from '../../common/salesforce-id';
import { projectSyncWorkflowId, resyncNow, syncStateQuery } from '../../workflows/project-sync/messages';
import { requestResync, type Handoff } from '../temporal-handoff';
import { listProjectSyncs } from './projects';
import { getProjectSchema, listProjectsSchema, resyncAllSchema, resyncProjectSchema } from './schemas';

export interface OperatorApiOptions {
  handoff: Handoff;
  apiToken?: string;
  temporalUiUrl: string;
  /** How long a state query or a waited resync may take: they need a sync worker to answer. */
  answerTimeoutMs?: number;
}

export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

type ById = { Params: { salesforceId: string } };

/** A 15-character id names the same record, and so the same workflow, as its 18-character form. */
function idOf(salesforceId: string): string {
  const id18 = toSalesforceId18(salesforceId);
  if (!id18) throw errors.PROJECT_NOT_FOUND(salesforceId);
  return id18;
}

export const operatorApiPlugin: FastifyPluginAsync<OperatorApiOptions> = async (app, options) => {
  const { client } = options.handoff;
  const { apiToken } = options;
  if (apiToken) {
    app.addHook('onRequest', async (request) => {
      if (!bearerMatches(request.headers.authorization, apiToken)) throw errors.API_UNAUTHORIZED();
    });
  }

  const answerTimeoutMs = options.answerTimeoutMs ?? 10_000;
  /** A query or update is answered by a worker: with none running (or all busy) it is a 503, not a crash. */
  const answered = <T>(salesforceId: string, ask: () => Promise<T>): Promise<T> =>
    client.connection.withDeadline(Date.now() + answerTimeoutMs, ask).catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError) throw errors.PROJECT_NOT_FOUND(salesforceId);
      throw errors.SYNC_UNANSWERED(salesforceId, (err as Error).message);
    });

  app.get<{ Querystring: { status?: string } }>('/api/projects', { schema: listProjectsSchema }, async (request) => ({
    projects: await listProjectSyncs(client, options.temporalUiUrl, request.query.status),
  }));

  app.get<ById>('/api/projects/:salesforceId', { schema: getProjectSchema }, async (request) => {
    const salesforceId = idOf(request.params.salesforceId);
    return answered(salesforceId, () =>
      client.workflow.getHandle(projectSyncWorkflowId(salesforceId)).query(syncStateQuery),
    );
  });

  app.post<ById & { Querystring: { wait: boolean } }>(
    '/api/projects/:salesforceId/resync',
    { schema: resyncProjectSchema },
    async (request, reply) => {
      const salesforceId = idOf(request.params.salesforceId);
      const workflowId = projectSyncWorkflowId(salesforceId);
      if (!request.query.wait) {
        // Signal-with-start: also brings in a record that changed before Tandem ran.
        await requestResync(options.handoff, salesforceId, 'operator');
        return reply.status(202).send({ accepted: true, workflowId });
      }
      return answered(salesforceId, () =>
        client.workflow.getHandle(workflowId).executeUpdate(resyncNow, { args: [{ reason: 'operator' }] }),
      );
    },
  );

  app.post('/api/resync', { schema: resyncAllSchema }, async (_request, reply) => {
    // Linked projects only, as documented: an unlinked sync has nothing on the Procore side to compare with yet.
    const projects = (await listProjectSyncs(client, options.temporalUiUrl)).filter((p) => p.procoreProjectId);
    for (const project of projects) await requestResync(options.handoff, project.salesforceId, 'operator: resync all');
    return reply.status(202).send({ accepted: projects.length });
  });
};
