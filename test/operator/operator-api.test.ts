/**
 * The operator API, health, readiness and metrics of a running ingress (its own process), with the worker serving
 * its own /metrics: everything through HTTP, as an operator or a Prometheus scraper reaches them.
 */
import got, { type Response } from 'got';
import { freePort } from '../../workers/temporal/dev-server';
import { eventually } from '../support/eventually';
import { badMetricNames, metricNames } from '../support/metric-names';
import { consoleUser, linkedPair, startSystem, type RunningSystem } from '../support/system';
import { TEST_NAMESPACES } from '../support/temporal';

jest.setTimeout(90_000);

let system: RunningSystem;
let workerMetricsUrl: string;
let salesforceId: string;
let procoreId: number;

/** Any status is an answer here: each test asserts the one it expects. */
const call = (method: 'GET' | 'POST', path: string): Promise<Response<string>> =>
  got(`${system.ingressUrl}${path}`, { method, throwHttpErrors: false, retry: { limit: 0 } });
const json = (response: Response<string>): Record<string, unknown> =>
  JSON.parse(response.body) as Record<string, unknown>;

beforeAll(async () => {
  const metricsPort = await freePort();
  system = await startSystem(
    TEST_NAMESPACES.cli,
    {},
    { label: 'operator-api', partEnv: { worker: { METRICS_PORT: String(metricsPort) } } },
  );
  workerMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const created = await consoleUser.createSalesforceProject(system, {
    Name: 'Operator Yard',
    City__c: 'Denver',
    Project_Type__c: 'Industrial',
  });
  salesforceId = created.Id;
  procoreId = (await linkedPair(system, salesforceId)).pc.id;
}, 90_000);

afterAll(async () => {
  await system?.stop();
});

describe('health', () => {
  it('GET / (the address tandem start prints for the ingress) redirects to the operator page', async () => {
    const response = await got(`${system.ingressUrl}/`, {
      followRedirect: false,
      throwHttpErrors: false,
      retry: { limit: 0 },
    });
    expect([302, 303, 307]).toContain(response.statusCode);
    expect(response.headers.location).toBe('/ui');
    expect((await call('GET', '/')).statusCode).toBe(200);
  });

  it('GET /healthz answers while the process is up', async () => {
    const response = await call('GET', '/healthz');
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({ ok: true });
  });

  it('GET /readyz checks Temporal, Salesforce, Procore and the Procore webhook', async () => {
    const response = await call('GET', '/readyz');
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({
      ready: true,
      checks: { temporal: { ok: true }, salesforce: { ok: true }, procore: { ok: true }, procoreWebhook: { ok: true } },
    });
  });

  it('GET /openapi.json describes every route', async () => {
    const response = await call('GET', '/openapi.json');
    expect(response.statusCode).toBe(200);
    const spec = json(response) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/healthz',
        '/readyz',
        '/metrics',
        '/webhooks/procore',
        '/api/projects',
        '/api/projects/{salesforceId}',
        '/api/projects/{salesforceId}/resync',
        '/api/resync',
      ]),
    );
    expect(spec.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
  });
});

describe('projects', () => {
  it('GET /api/projects lists the synced project from Temporal visibility, with its Temporal UI link', async () => {
    const project = await eventually(async () => {
      const { projects } = json(await call('GET', '/api/projects')) as { projects: Array<Record<string, unknown>> };
      return projects.find((p) => p.salesforceId === salesforceId && p.status === 'synced');
    }, 'the project listed as synced');
    expect(project).toEqual({
      salesforceId,
      procoreProjectId: String(procoreId),
      status: 'synced',
      workflowId: `project-sync-${salesforceId}`,
      temporalUiUrl: `http://127.0.0.1:8233/namespaces/${TEST_NAMESPACES.cli}/workflows/project-sync-${salesforceId}`,
    });
    const parked = json(await call('GET', '/api/projects?status=error')) as { projects: unknown[] };
    expect(parked.projects).toEqual([]);
    expect((await call('GET', '/api/projects?status=happy')).statusCode).toBe(400);
  });

  it("GET /api/projects/{id} answers the workflow's state", async () => {
    const response = await call('GET', `/api/projects/${salesforceId}`);
    expect(response.statusCode).toBe(200);
    expect(json(response)).toMatchObject({
      status: 'synced',
      link: { salesforceId, procoreProjectId: String(procoreId), writtenToSalesforce: true },
      parked: null,
      pendingWrites: { salesforce: [], procore: [] },
      snapshot: expect.objectContaining({ name: 'Operator Yard', city: 'Denver' }),
    });
  });

  it('GET /api/projects/{id} is 404 for a record Tandem has no sync for, and 400 for what is not a record id', async () => {
    const unknown = await call('GET', '/api/projects/a0X000000000999AAA');
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown)).toMatchObject({
      code: 'TANDEM_PROJECT_NOT_FOUND',
      message: expect.stringContaining('a0X000000000999AAA'),
    });
    const malformed = await call('GET', '/api/projects/not-a-record!');
    expect(malformed.statusCode).toBe(400);
    expect(json(malformed)).toMatchObject({ code: 'TANDEM_BAD_REQUEST', statusCode: 400 });
  });
});

describe('resync', () => {
  const eventsApplied = async () =>
    (json(await call('GET', `/api/projects/${salesforceId}`)) as { stats: { eventsApplied: number } }).stats
      .eventsApplied;

  it('POST /api/projects/{id}/resync accepts the request (202) and the workflow re-reads both sides', async () => {
    const before = await eventsApplied();
    const response = await call('POST', `/api/projects/${salesforceId}/resync`);
    expect(response.statusCode).toBe(202);
    expect(json(response)).toEqual({ accepted: true, workflowId: `project-sync-${salesforceId}` });
    await eventually(async () => (await eventsApplied()) >= before + 2, 'both sides re-read');
  });

  it('takes the 15-character form of an id as the same record: the same workflow, no second Procore project', async () => {
    const id15 = salesforceId.slice(0, 15);
    const synced = await call('POST', `/api/projects/${id15}/resync?wait=true`);
    expect(synced.statusCode).toBe(200);
    expect(json(synced)).toMatchObject({ link: { salesforceId, procoreProjectId: String(procoreId) } });
    const accepted = await call('POST', `/api/projects/${id15}/resync`);
    expect(json(accepted)).toEqual({ accepted: true, workflowId: `project-sync-${salesforceId}` });
    expect(json(await call('GET', `/api/projects/${id15}`))).toMatchObject({ link: { salesforceId } });
  });

  it('POST /api/projects/{id}/resync?wait=true answers with the state once synced (200)', async () => {
    const response = await call('POST', `/api/projects/${salesforceId}/resync?wait=true`);
    expect(response.statusCode).toBe(200);
    expect(json(response)).toMatchObject({
      status: 'synced',
      queued: 0,
      link: { procoreProjectId: String(procoreId) },
    });
    const unknown = await call('POST', '/api/projects/a0X000000000998AAA/resync?wait=true');
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown)).toMatchObject({ code: 'TANDEM_PROJECT_NOT_FOUND' });
  });

  it('POST /api/resync re-syncs every listed project', async () => {
    const before = await eventsApplied();
    const response = await call('POST', '/api/resync');
    expect(response.statusCode).toBe(202);
    expect((json(response) as { accepted: number }).accepted).toBeGreaterThanOrEqual(1);
    await eventually(async () => (await eventsApplied()) >= before + 2, 'the project re-synced');
  });
});

describe('metrics', () => {
  const sample = (text: string, pattern: RegExp): number => Number(text.match(pattern)?.[1] ?? NaN);

  it('the ingress serves Prometheus text: events received and dropped, and parked records', async () => {
    // The project's Procore webhooks here are Tandem's own create and update: the ingress drops them as echoes.
    const response = await eventually(async () => {
      const answer = await call('GET', '/metrics');
      return /tandem_events_dropped_total\{reason="echo"\} [1-9]/.test(answer.body) ? answer : undefined;
    }, 'the Procore webhooks counted');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toContain('# TYPE tandem_events_received_total counter');
    expect(response.body).toContain('# TYPE tandem_events_dropped_total counter');
    expect(response.body).toContain('# TYPE tandem_parked_records gauge');
    expect(sample(response.body, /^tandem_parked_records (\S+)$/m)).toBe(0);
  });

  it('names every metric of the ingress and the worker as Prometheus does, no word doubled', async () => {
    for (const scrape of [(await call('GET', '/metrics')).body, await got(workerMetricsUrl).text()]) {
      expect(metricNames(scrape)).toEqual(
        expect.arrayContaining(['process_cpu_user_seconds_total', 'nodejs_heap_size_used_bytes']),
      );
      expect(badMetricNames(scrape)).toEqual([]);
    }
  });

  it('the worker serves its own: API calls by system and outcome, and the sync latency histogram', async () => {
    const text = await got(workerMetricsUrl).text();
    expect(
      sample(
        text,
        /^tandem_api_calls_total\{system="procore",activity="findOrCreateProcoreProject",outcome="ok"\} (\S+)$/m,
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, /^tandem_api_calls_total\{system="salesforce",[^}]*outcome="ok"\} (\S+)$/m),
    ).toBeGreaterThanOrEqual(1);
    expect(text).toContain('# TYPE tandem_sync_latency_seconds histogram');
    expect(
      sample(text, /^tandem_sync_latency_seconds_count\{direction="salesforce_to_procore"\} (\S+)$/m),
    ).toBeGreaterThanOrEqual(1);
  });
});
