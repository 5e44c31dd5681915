/**
 * The ingress app built in-process with `buildIngress` and a real Temporal client, driven with Fastify's
 * `inject()`: the validation and authorization edges of the webhook receiver, the operator API and /readyz.
 * No worker polls this namespace, so accepted events stay as started workflows the test can inspect.
 */
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { createLogger } from '../../common/logger';
import { countParked } from '../../ingress/operator-api/projects';
import { buildIngress } from '../../ingress/server';
import { procoreRouterWorkflowId } from '../../workflows/procore-router/procore-router';
import { projectSyncWorkflowId } from '../../workflows/project-sync/messages';
import { TEST_NAMESPACES, temporalAddress } from '../support/temporal';
import { toSalesforceId18 } from '../../common/salesforce-id';
import { SANDBOX_DEFAULT_CREDENTIALS } from '../../common/config';

const WEBHOOK_AUTHORIZATION = 'Bearer inject-webhook-secret-0123';
const API_TOKEN = 'inject-operator-token-0123';
const COMPANY_ID = 4264807;

let connection: Connection;
let client: Client;
let app: FastifyInstance;
const started: string[] = [];

beforeAll(async () => {
  connection = await Connection.connect({ address: temporalAddress() });
  client = new Client({ connection, namespace: TEST_NAMESPACES.ingress });
  const handoff = { client };
  app = await buildIngress({
    logger: createLogger('ingress-inject', 'silent'),
    procoreWebhooks: {
      handoff,
      expectedAuthorization: WEBHOOK_AUTHORIZATION,
      applicationId: SANDBOX_DEFAULT_CREDENTIALS.procore.clientId,
      companyId: COMPANY_ID,
    },
    operatorApi: { handoff, apiToken: API_TOKEN, temporalUiUrl: 'http://temporal-ui.test' },
    health: {
      checks: {
        temporal: async () => void (await connection.workflowService.getSystemInfo({})),
        salesforce: async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:9');
        },
        procore: async () => undefined,
      },
      countParked: () => countParked(client),
      cacheMs: 0,
    },
  });
});

afterAll(async () => {
  await app?.close();
  await Promise.all(
    started.map((id) =>
      client.workflow
        .getHandle(id)
        .terminate('test cleanup')
        .catch(() => undefined),
    ),
  );
  await connection?.close();
});

const webhookBody = (overrides: Record<string, unknown> = {}) => ({
  id: 1,
  ulid: `01J${Date.now().toString(36).toUpperCase()}INJECT`,
  timestamp: new Date().toISOString(),
  company_id: COMPANY_ID,
  project_id: null,
  api_version: 'v2',
  event_type: 'update',
  resource_name: 'Projects',
  resource_id: 700001,
  metadata: { source_application_id: null, source_user_id: 1 },
  ...overrides,
});

/** An empty `authorization` sends no header at all. */
const webhook = (payload: unknown, authorization = WEBHOOK_AUTHORIZATION) =>
  app.inject({
    method: 'POST',
    url: '/webhooks/procore',
    headers: authorization ? { authorization } : {},
    payload: payload as InjectOptions['payload'],
  });

describe('POST /webhooks/procore', () => {
  it('is 401 without the registered Authorization value, before the body is looked at', async () => {
    for (const authorization of ['', 'Bearer wrong-secret', WEBHOOK_AUTHORIZATION.toLowerCase()]) {
      const response = await webhook({ nonsense: true }, authorization);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'TANDEM_WEBHOOK_UNAUTHORIZED' });
    }
  });

  it.each([
    ['no ulid', { ulid: undefined }],
    ['an unknown event type', { event_type: 'archive' }],
    ['a resource id that is not a number', { resource_id: 'abc' }],
    ['no company', { company_id: undefined }],
  ])('is 400 for a body with %s', async (_what, overrides) => {
    const response = await webhook(webhookBody(overrides));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'TANDEM_BAD_REQUEST', statusCode: 400 });
  });

  it('is 400 for a body that is not JSON', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/webhooks/procore',
      headers: { authorization: WEBHOOK_AUTHORIZATION, 'content-type': 'application/json' },
      payload: '{"ulid": ',
    });
    expect(response.statusCode).toBe(400);
  });

  it('answers 200 but ignores other resources and other companies', async () => {
    const rfi = await webhook(webhookBody({ resource_name: 'RFIs' }));
    expect(rfi.statusCode).toBe(200);
    expect(rfi.json()).toEqual({ accepted: false, ignored: 'resource RFIs' });
    const otherCompany = await webhook(webhookBody({ company_id: 1 }));
    expect(otherCompany.json()).toEqual({ accepted: false, ignored: 'company 1' });
  });

  it('hands a project event to Temporal before answering 200', async () => {
    const response = await webhook(webhookBody({ resource_id: 700002 }));
    started.push(procoreRouterWorkflowId('700002'));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ accepted: true });
    const description = await client.workflow.getHandle(procoreRouterWorkflowId('700002')).describe();
    expect(description.status.name).toBe('RUNNING');
  });
});

describe('the operator API', () => {
  const bearer = { authorization: `Bearer ${API_TOKEN}` };

  it('is 401 without the bearer token, with a wrong one, and with the token but no Bearer scheme', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer inject-operator-token-0124' },
      { authorization: API_TOKEN },
      { authorization: `Basic ${API_TOKEN}` },
    ]) {
      const response = await app.inject({ method: 'GET', url: '/api/projects', headers });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'TANDEM_API_UNAUTHORIZED', statusCode: 401 });
    }
  });

  it.each([
    ['GET', '/api/projects/short'],
    ['GET', '/api/projects/a0X0000000001-AAA'],
    ['POST', '/api/projects/a0X00000000000100AAA/resync'],
    ['GET', '/api/projects?status=fine'],
    ['POST', '/api/projects/a0X000000000001AAA/resync?wait=maybe'],
  ] as const)('%s %s is 400', async (method, url) => {
    const response = await app.inject({ method, url, headers: bearer });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'TANDEM_BAD_REQUEST' });
  });

  it('is 404 for a record without a sync, for the state and for a waited resync', async () => {
    for (const [method, url] of [
      ['GET', '/api/projects/a0X000000000996AAA'],
      ['POST', '/api/projects/a0X000000000996AAA/resync?wait=true'],
    ] as const) {
      const response = await app.inject({ method, url, headers: bearer });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({
        code: 'TANDEM_PROJECT_NOT_FOUND',
        message: 'No sync exists for Salesforce record a0X000000000996AAA',
        statusCode: 404,
      });
    }
  });

  it('starts the sync of a record Tandem has not seen yet when asked to resync it (202)', async () => {
    // A well-formed id (its suffix matches): ids that are not are no record, so no sync is started for them.
    const salesforceId = toSalesforceId18('a0X000000000995')!;
    const response = await app.inject({ method: 'POST', url: `/api/projects/${salesforceId}/resync`, headers: bearer });
    started.push(projectSyncWorkflowId(salesforceId));
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: true, workflowId: projectSyncWorkflowId(salesforceId) });
    expect((await client.workflow.getHandle(projectSyncWorkflowId(salesforceId)).describe()).status.name).toBe(
      'RUNNING',
    );
  });
});

describe('health', () => {
  it('/readyz is 503 and names the failing check; /healthz is 200', async () => {
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({
      ready: false,
      checks: {
        temporal: { ok: true },
        salesforce: { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:9' },
        procore: { ok: true },
      },
    });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ ok: true });
  });
});
