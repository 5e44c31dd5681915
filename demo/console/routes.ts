/**
 * The console server: the page, the refreshed table bodies, and the user edits it relays to the sandboxes' own
 * user endpoints, so the browser talks to one origin and the sandboxes see edits made as a person makes them.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import got from 'got';
import { errors } from '../../common/errors';
import { renderPage } from './page';
import { readBoard, type ConsoleSources } from './sources';
import { problemsHtml, procoreRows, salesforceRows, type TemporalUi } from './tables';
import { SALESFORCE_ID_PATTERN } from '../../common/salesforce-id';

export interface ConsoleRouteOptions extends ConsoleSources {
  temporalUi: TemporalUi;
}

const editBody = { type: 'object', additionalProperties: true } as const;
const salesforceIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: SALESFORCE_ID_PATTERN } },
} as const;
const procoreIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[0-9]{1,18}$' } },
} as const;

type Edit = { Body: Record<string, unknown> };
type EditById = Edit & { Params: { id: string } };

/** Passes the sandbox's answer through as it is: its validation errors are what the person needs to read. */
async function relay(
  reply: FastifyReply,
  system: string,
  method: 'POST' | 'PATCH',
  url: string,
  body: Record<string, unknown>,
): Promise<FastifyReply> {
  try {
    const answer = await got(url, {
      method,
      json: body,
      throwHttpErrors: false,
      retry: { limit: 0 },
      responseType: 'text',
    });
    return reply
      .code(answer.statusCode)
      .type(answer.headers['content-type'] ?? 'application/json')
      .send(answer.body);
  } catch (err) {
    throw errors.SANDBOX_UNREACHABLE(system, url, (err as Error).message);
  }
}

export const consoleRoutes: FastifyPluginAsync<ConsoleRouteOptions> = async (app, options) => {
  const { temporalUi } = options;
  const salesforceUi = `${options.salesforceUrl}/sandbox/ui/Project__c`;
  const procoreUi = `${options.procoreUrl}/sandbox/ui/projects`;

  app.get('/', async (_request, reply) => {
    const board = await readBoard(options);
    return reply.type('text/html; charset=utf-8').send(renderPage(board, temporalUi, options));
  });

  app.get('/console/board', async (_request, reply) => {
    const board = await readBoard(options);
    reply.header('cache-control', 'no-store');
    return {
      salesforce: salesforceRows(board, temporalUi),
      procore: procoreRows(board, temporalUi),
      problems: problemsHtml(board),
      refreshedAt: Date.now(),
    };
  });

  app.post<Edit>('/console/salesforce/projects', { schema: { body: editBody } }, async (request, reply) =>
    relay(reply, 'Salesforce', 'POST', salesforceUi, request.body),
  );
  app.patch<EditById>(
    '/console/salesforce/projects/:id',
    { schema: { body: editBody, params: salesforceIdParams } },
    async (request, reply) => relay(reply, 'Salesforce', 'PATCH', `${salesforceUi}/${request.params.id}`, request.body),
  );
  app.post<Edit>('/console/procore/projects', { schema: { body: editBody } }, async (request, reply) =>
    relay(reply, 'Procore', 'POST', procoreUi, request.body),
  );
  app.patch<EditById>(
    '/console/procore/projects/:id',
    { schema: { body: editBody, params: procoreIdParams } },
    async (request, reply) => relay(reply, 'Procore', 'PATCH', `${procoreUi}/${request.params.id}`, request.body),
  );

  // Browsers ask for it; an empty answer keeps their consoles free of 404 noise.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());
};
