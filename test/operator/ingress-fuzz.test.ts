/**
 * The real ingress app (`buildIngress`, a real Temporal client on a namespace of its own) under thousands of random
 * requests: random paths, methods, headers and bodies, forged webhooks and operator calls with wrong tokens.
 * Nothing answers 5xx, nothing crashes the process, every unauthenticated call to a protected route is 401, and
 * no unauthenticated call hands anything to Temporal (the namespace stays empty).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { createLogger } from '../../common/logger';
import { toSalesforceId18 } from '../../common/salesforce-id';
import { countParked } from '../../ingress/operator-api/projects';
import { buildIngress } from '../../ingress/server';
import { eventually } from '../support/eventually';
import { TEST_NAMESPACES, temporalAddress } from '../support/temporal';
import { SANDBOX_DEFAULT_CREDENTIALS } from '../../common/config';

jest.setTimeout(240_000);

const WEBHOOK_SECRET = 'fuzz-webhook-secret-0123456789';
const WEBHOOK_AUTHORIZATION = `Bearer ${WEBHOOK_SECRET}`;
const API_TOKEN = 'fuzz-operator-token-0123456789';
const COMPANY_ID = 4264807;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];

let connection: Connection;
let client: Client;
let app: FastifyInstance;
const crashes: unknown[] = [];
const onCrash = (err: unknown) => crashes.push(err);

beforeAll(async () => {
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
  connection = await Connection.connect({ address: temporalAddress() });
  client = new Client({ connection, namespace: TEST_NAMESPACES.fuzz });
  const handoff = { client, syncSettings: { coalesceWindowMs: 200 } };
  app = await buildIngress({
    logger: createLogger('ingress-fuzz', 'silent'),
    procoreWebhooks: {
      handoff,
      expectedAuthorization: WEBHOOK_AUTHORIZATION,
      applicationId: SANDBOX_DEFAULT_CREDENTIALS.procore.clientId,
      companyId: COMPANY_ID,
    },
    // No worker polls this namespace: a state query or a waited resync can only time out (a 503, quickly).
    operatorApi: { handoff, apiToken: API_TOKEN, temporalUiUrl: 'http://temporal-ui.test', answerTimeoutMs: 300 },
    health: {
      checks: { temporal: async () => void (await connection.workflowService.getSystemInfo({})) },
      countParked: () => countParked(client),
      metricsToken: API_TOKEN,
      cacheMs: 0,
    },
  });
});

afterAll(async () => {
  process.off('unhandledRejection', onCrash);
  process.off('uncaughtException', onCrash);
  await app?.close();
  for await (const wf of client.workflow.list({ query: 'ExecutionStatus = "Running"' }))
    await client.workflow
      .getHandle(wf.workflowId)
      .terminate('fuzz cleanup')
      .catch(() => undefined);
  await connection?.close();
});

async function workflowsStarted(): Promise<number> {
  return (await client.workflow.count('')).count;
}

// ---- arbitraries ------------------------------------------------------------------------------------------------

const printable = fc.stringMatching(/^[\x20-\x7e]{0,80}$/);
const salesforceLike = fc.stringMatching(/^[a-zA-Z0-9]{15,18}$/);
const segment = fc.oneof(salesforceLike, fc.string({ maxLength: 20 }).map(encodeURIComponent), fc.constant('..'));

const path = fc.oneof(
  fc.constantFrom(
    '/healthz',
    '/readyz',
    '/metrics',
    '/openapi.json',
    '/ui',
    '/webhooks/procore',
    '/api/projects',
    '/api/resync',
    '/api/projects/a0X000000000001AAA',
    '/api/projects/a0X000000000001AAA/resync',
  ),
  fc.webPath(),
  fc.tuple(fc.constantFrom('/api/projects/', '/webhooks/', '/api/', '/ui/'), segment).map(([a, b]) => a + b),
  salesforceLike.map((id) => `/api/projects/${id}/resync`),
);

const query = fc.option(
  fc
    .dictionary(fc.constantFrom('status', 'wait', 'limit', 'x', '__proto__'), fc.string({ maxLength: 12 }), {
      maxKeys: 3,
    })
    .map((q) => new URLSearchParams(q).toString()),
  { nil: undefined },
);

/** A request line always starts its path with a slash (webPath may give an empty one). */
const url = path.map((p) => (p.startsWith('/') ? p : `/${p}`)).chain((p) => query.map((q) => (q ? `${p}?${q}` : p)));

/** Near misses of the real secrets, the wrong secret for the route, and noise. */
const authorization = fc.oneof(
  printable,
  printable.map((v) => `Bearer ${v}`),
  fc.constantFrom(
    `Bearer ${API_TOKEN}x`,
    `Bearer ${API_TOKEN.slice(0, -1)}`,
    `bearer ${API_TOKEN}`,
    API_TOKEN,
    `Basic ${API_TOKEN}`,
    WEBHOOK_SECRET,
    `Bearer ${WEBHOOK_SECRET.toUpperCase()}`,
    `Bearer  ${WEBHOOK_SECRET}`,
    'Bearer ',
    '',
  ),
);

const headerName = fc
  .stringMatching(/^[a-z][a-z0-9-]{0,20}$/)
  .filter((name) => !['content-length', 'transfer-encoding', 'host', 'connection', 'expect'].includes(name));

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/json; charset=latin1',
  '*/*',
  '',
);

const webhookLike = fc.record(
  {
    id: fc.oneof(fc.integer(), fc.string()),
    ulid: fc.oneof(fc.string(), fc.stringMatching(/^01[A-Z0-9]{24}$/)),
    timestamp: fc.oneof(
      fc.string(),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    ),
    company_id: fc.oneof(fc.constant(COMPANY_ID), fc.integer(), fc.string()),
    event_type: fc.oneof(fc.constantFrom('create', 'update', 'delete', 'DELETE'), fc.string()),
    resource_name: fc.oneof(fc.constant('Projects'), fc.string()),
    resource_id: fc.oneof(fc.integer({ min: 1 }), fc.integer(), fc.double(), fc.string()),
    metadata: fc.oneof(fc.jsonValue(), fc.record({ source_application_id: fc.option(fc.string()) })),
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  fc.json(),
  fc.string(),
  webhookLike.map((b) => JSON.stringify(b)),
  fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom('{"ulid": ', '[]', 'null', '{"__proto__": {"polluted": true}}', '{"constructor": {"prototype": {}}}'),
);

const request = fc.record({
  method: fc.constantFrom<Method>(...METHODS),
  url,
  headers: fc.dictionary(headerName, printable, { maxKeys: 4 }),
  authorization: fc.option(authorization, { nil: undefined }),
  contentType: fc.option(contentType, { nil: undefined }),
  body: fc.option(body, { nil: undefined }),
});

type FuzzRequest = typeof request extends fc.Arbitrary<infer R> ? R : never;

function send(r: FuzzRequest, forceAuthorization?: string) {
  const headers: Record<string, string> = { ...r.headers };
  const auth = forceAuthorization ?? r.authorization;
  if (auth !== undefined) headers.authorization = auth;
  else delete headers.authorization;
  if (r.contentType !== undefined) headers['content-type'] = r.contentType;
  const withBody = r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD';
  return app.inject({
    method: r.method,
    url: r.url,
    headers,
    ...(withBody ? { payload: r.body as InjectOptions['payload'] } : {}),
  });
}

/** Routes behind a secret: the operator API and /metrics (operator token), the webhook receiver (hook secret). */
const PROTECTED: Array<[RegExp, Method[]]> = [
  [/^\/metrics$/, ['GET', 'HEAD']],
  [/^\/webhooks\/procore$/, ['POST']],
  [/^\/api\/projects(\/[^/]+)?$/, ['GET', 'HEAD']],
  [/^\/api\/projects\/[^/]+\/resync$/, ['POST']],
  [/^\/api\/resync$/, ['POST']],
];

function isProtected(method: Method, pathname: string): boolean {
  return PROTECTED.some(([route, methods]) => route.test(pathname) && methods.includes(method));
}

const isRealSecret = (auth: string | undefined) => auth === WEBHOOK_AUTHORIZATION || auth === `Bearer ${API_TOKEN}`;

// ---- properties ---------------------------------------------------------------------------------------------------

describe('the ingress under random requests', () => {
  it('answers every unauthenticated request below 500, protected routes with 401, and starts nothing', async () => {
    let protectedSeen = 0;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        fc.pre(!isRealSecret(r.authorization) && !isRealSecret(r.headers.authorization));
        const response = await send(r);
        expect(response.statusCode).toBeLessThan(500);
        // The path as the server resolves it (dot segments, doubled slashes).
        const { pathname } = new URL(`http://ingress.test${r.url}`);
        if (isProtected(r.method, pathname)) {
          protectedSeen += 1;
          expect(response.statusCode).toBe(401);
        }
      }),
      { numRuns: 4000 },
    );
    expect(protectedSeen).toBeGreaterThan(200);
    expect(crashes).toEqual([]);
    expect(await workflowsStarted()).toBe(0);
  });

  it('refuses every forged webhook (401) and every operator call without the token, and starts nothing', async () => {
    const forged = fc.record({ auth: fc.option(authorization, { nil: undefined }), payload: webhookLike });
    await fc.assert(
      fc.asyncProperty(forged, async ({ auth, payload }) => {
        fc.pre(!isRealSecret(auth));
        const response = await app.inject({
          method: 'POST',
          url: '/webhooks/procore',
          headers: auth === undefined ? {} : { authorization: auth },
          payload: { ...payload, resource_name: 'Projects', company_id: COMPANY_ID },
        });
        expect(response.statusCode).toBe(401);
      }),
      { numRuns: 1500 },
    );
    const operatorCall = fc.record({
      auth: fc.option(authorization, { nil: undefined }),
      call: fc.constantFrom<[Method, string]>(
        ['POST', '/api/resync'],
        ['POST', '/api/projects/a0X000000000001AAA/resync'],
        ['POST', '/api/projects/a0X000000000002AAA/resync?wait=true'],
        ['GET', '/api/projects'],
        ['GET', '/metrics'],
      ),
    });
    await fc.assert(
      fc.asyncProperty(operatorCall, async ({ auth, call: [method, target] }) => {
        fc.pre(!isRealSecret(auth));
        const response = await app.inject({
          method,
          url: target,
          headers: auth === undefined ? {} : { authorization: auth },
        });
        expect(response.statusCode).toBe(401);
      }),
      { numRuns: 1000 },
    );
    expect(await workflowsStarted()).toBe(0);
  });

  it('answers authenticated random calls below 500 too', async () => {
    await fc.assert(
      fc.asyncProperty(request, fc.boolean(), async (r, asOperator) => {
        const auth = asOperator ? `Bearer ${API_TOKEN}` : WEBHOOK_AUTHORIZATION;
        const response = await send(r, auth);
        // 503 is the designed answer when no sync worker answers a query or a waited resync.
        if (response.statusCode === 503) expect(response.json()).toMatchObject({ code: 'TANDEM_SYNC_UNANSWERED' });
        else expect(response.statusCode).toBeLessThan(500);
      }),
      { numRuns: 1500 },
    );
    expect(crashes).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('with the token', () => {
  it('starts what it is asked to (so the empty namespace above means something), and a query no worker answers is 503', async () => {
    const bearer = { authorization: `Bearer ${API_TOKEN}` };
    const salesforceId = toSalesforceId18('a0X00000000FUZZ')!;
    const before = await workflowsStarted();
    const resync = await app.inject({ method: 'POST', url: `/api/projects/${salesforceId}/resync`, headers: bearer });
    expect(resync.statusCode).toBe(202);
    await eventually(async () => (await workflowsStarted()) > before, 'the started sync in the namespace count');
    const state = await app.inject({ method: 'GET', url: `/api/projects/${salesforceId}`, headers: bearer });
    expect(state.statusCode).toBe(503);
    expect(state.json()).toMatchObject({ code: 'TANDEM_SYNC_UNANSWERED', statusCode: 503 });
    // Re-sync everything means every linked project: this sync (no worker ever linked it) is not one.
    await eventually(
      async () => (await client.workflow.count(`WorkflowId = 'project-sync-${salesforceId}'`)).count === 1,
      'the sync in visibility',
    );
    const all = await app.inject({ method: 'POST', url: '/api/resync', headers: bearer });
    expect(all.statusCode).toBe(202);
    expect(all.json()).toEqual({ accepted: 0 });
  });
});

describe('webhook authentication before the body', () => {
  it('answers 401 to an unauthenticated upload while it is still being sent, having read almost none of it', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const declared = 512 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const status = await new Promise<number>((resolve, reject) => {
      const upload = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/webhooks/procore',
        headers: { 'content-type': 'application/json', 'content-length': declared, authorization: 'Bearer forged' },
      });
      upload.on('response', (response) => {
        resolve(response.statusCode ?? 0);
        upload.destroy();
      });
      upload.on('error', (err) => (sent < declared ? undefined : reject(err)));
      // Only a few chunks: the answer must come long before the declared half gigabyte.
      for (let i = 0; i < 4; i++) {
        upload.write(chunk);
        sent += chunk.length;
      }
    });
    expect(status).toBe(401);
    expect(sent).toBeLessThan(declared / 1000);
  });
});
