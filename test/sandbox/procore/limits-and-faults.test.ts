import type { ProcoreSandbox } from '../../../sandbox/procore';
import { COMPANY_ID, apiClient, rawClient, startSandbox } from './support';

const list = { searchParams: { company_id: COMPANY_ID } };

describe('Procore sandbox: rate limits', () => {
  let sandbox: ProcoreSandbox;
  beforeEach(async () => {
    sandbox = await startSandbox({ rateLimit: { hourly: 5, spikeLimit: 100 } });
  });
  afterEach(() => sandbox.close());

  it('reports the budget on every response and answers 429 with Retry-After once it is spent', async () => {
    // The token request is the login host's, counted apart from the client's API budget.
    const client = await apiClient(sandbox);
    const ok = await client.get('rest/v1.0/projects', list);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['x-rate-limit-limit']).toBe('5');
    expect(ok.headers['x-rate-limit-remaining']).toBe('4');
    const reset = Number(ok.headers['x-rate-limit-reset']);
    expect(reset).toBeGreaterThan(Date.now() / 1000 + 3500);

    // Failed calls count as well.
    const notFound = await client.get('rest/v1.0/projects/1', list);
    expect(notFound.statusCode).toBe(404);
    expect(notFound.headers['x-rate-limit-remaining']).toBe('3');
    for (let i = 0; i < 3; i++) await client.get('rest/v1.0/projects', list);

    const limited = await client.get('rest/v1.0/projects', { ...list, responseType: 'text' });
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toBe(
      'You have surpassed the max number of requests for an hour. Please wait until your limit resets.',
    );
    expect(limited.headers['x-rate-limit-remaining']).toBe('0');
    expect(limited.headers['x-rate-limit-reset']).toBe(String(reset));
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(3500);
  });

  it('reports the spike window while it is the tighter one', async () => {
    const spiky = await startSandbox({ rateLimit: { hourly: 1000, spikeWindowSeconds: 10, spikeLimit: 3 } });
    try {
      const client = await apiClient(spiky);
      const first = await client.get('rest/v1.0/projects', list);
      expect(first.headers['x-rate-limit-limit']).toBe('3');
      expect(first.headers['x-rate-limit-remaining']).toBe('2');
      // Reset is whole Unix seconds, rounded up.
      expect(Number(first.headers['x-rate-limit-reset']) - Date.now() / 1000).toBeLessThanOrEqual(11);
      await client.get('rest/v1.0/projects', list);
      await client.get('rest/v1.0/projects', list);
      const limited = await client.get('rest/v1.0/projects', list);
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(10);
    } finally {
      await spiky.close();
    }
  });
});

describe('Procore sandbox: faults and stats', () => {
  let sandbox: ProcoreSandbox;
  beforeEach(async () => {
    sandbox = await startSandbox();
  });
  afterEach(() => sandbox.close());

  it('forces 429s for the next N requests, then recovers', async () => {
    const client = await apiClient(sandbox);
    const set = await rawClient(sandbox).post('sandbox/faults', { json: { force429: 2 } });
    expect(set.statusCode).toBe(200);
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const response = await client.get('rest/v1.0/projects', list);
      statuses.push(response.statusCode);
      if (response.statusCode === 429) {
        expect(response.headers['retry-after']).toBe('1');
        expect(response.headers['x-rate-limit-remaining']).toBe('0');
      }
    }
    expect(statuses).toEqual([429, 429, 200]);
  });

  it('answers 500/503 with Retry-After at the configured error rate, and adds latency', async () => {
    const client = await apiClient(sandbox);
    await rawClient(sandbox).post('sandbox/faults', { json: { errorRate: 1, latencyMs: 50 } });
    const started = Date.now();
    const failed = await client.get('rest/v1.0/projects', list);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect([500, 503]).toContain(failed.statusCode);
    expect(failed.headers['retry-after']).toBe('1');
    expect(failed.headers['x-rate-limit-limit']).toBeDefined();

    const cleared = await rawClient(sandbox).delete<Record<string, unknown>>('sandbox/faults');
    expect(cleared.body).toMatchObject({ errorRate: 0, latencyMs: 0, force429: 0 });
    expect((await client.get('rest/v1.0/projects', list)).statusCode).toBe(200);
  });

  it('counts Procore API calls by method and route pattern, not sandbox calls', async () => {
    const client = await apiClient(sandbox);
    await client.get('rest/v1.0/projects', list);
    await client.get('rest/v1.0/projects/1', list);
    await client.get('rest/v1.0/projects/2', list);
    await rawClient(sandbox).get('sandbox/health');
    const stats = await rawClient(sandbox).get<Record<string, unknown>>('sandbox/stats');
    expect(stats.body).toEqual({
      api: { 'POST /oauth/token': 1, 'GET /rest/v1.0/projects': 1, 'GET /rest/v1.0/projects/:id': 2 },
      total: 4,
      webhooks: { delivered: 0, failed: 0, pending: 0, dropped: 0 },
    });
    expect((await rawClient(sandbox).get('sandbox/health')).body).toEqual({ ok: true });
  });

  it('rejects a malformed fault switch', async () => {
    const response = await rawClient(sandbox).post('sandbox/faults', { json: { errorRate: 2 } });
    expect(response.statusCode).toBe(400);
    const unknown = await rawClient(sandbox).post('sandbox/faults', { json: { explode: true } });
    expect(unknown.statusCode).toBe(406);
  });
});
