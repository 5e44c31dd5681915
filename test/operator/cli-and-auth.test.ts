/**
 * An ingress with TANDEM_API_TOKEN set, and `tandem status|resync` spawned as an operator runs them against it.
 * This system's ingress alone is given a Salesforce login URL where nothing listens (the worker and the CDC
 * subscriber have the real one), so its /readyz must answer 503 and name the failing check.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import got from 'got';
import { freePort } from '../../workers/temporal/dev-server';
import { eventually } from '../support/eventually';
import { consoleUser, linkedPair, startSystem, syncState, type RunningSystem } from '../support/system';
import { TEST_NAMESPACES } from '../support/temporal';

jest.setTimeout(90_000);

const TOKEN = 'operator-token-0123456789';
const ROOT = path.resolve(__dirname, '..', '..');

let system: RunningSystem;
let deadUrl: string;
const linked: Array<{ salesforceId: string; procoreId: number }> = [];

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node bin/tandem.js …` with only the operator settings the test gives (an unset token stays unset). */
function tandem(args: string[], env: { url?: string; token?: string } = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'tandem.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, TANDEM_API_URL: env.url ?? system.ingressUrl, TANDEM_API_TOKEN: env.token ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

const authorized = { token: TOKEN };
const get = (urlPath: string, headers: Record<string, string> = {}) =>
  got(`${system.ingressUrl}${urlPath}`, { headers, throwHttpErrors: false, retry: { limit: 0 } });

beforeAll(async () => {
  deadUrl = `http://127.0.0.1:${await freePort()}`;
  system = await startSystem(
    TEST_NAMESPACES.operatorAuth,
    { TANDEM_API_TOKEN: TOKEN },
    { label: 'operator-auth', partEnv: { ingress: { SALESFORCE_LOGIN_URL: deadUrl } } },
  );
  for (const name of ['Token Works Depot', 'Token Works Annex']) {
    const created = await consoleUser.createSalesforceProject(system, { Name: name });
    const { pc } = await linkedPair(system, created.Id);
    linked.push({ salesforceId: created.Id, procoreId: pc.id });
  }
  // `resync --all` lists through Temporal visibility: wait until it shows both links.
  await eventually(async () => {
    const { projects } = await got(`${system.ingressUrl}/api/projects`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    }).json<{ projects: Array<{ procoreProjectId: string | null }> }>();
    return projects.filter((p) => p.procoreProjectId).length === linked.length;
  }, 'both links in visibility');
}, 90_000);

afterAll(async () => {
  await system?.stop();
});

describe('the bearer token', () => {
  it.each([
    ['GET', '/api/projects'],
    ['GET', '/api/projects/a0X000000000001AAA'],
    ['POST', '/api/projects/a0X000000000001AAA/resync'],
    ['POST', '/api/resync'],
    ['GET', '/metrics'],
  ] as const)('%s %s is 401 without a token and with a wrong one', async (method, urlPath) => {
    for (const headers of [{}, { authorization: 'Bearer not-the-operator-token' }, { authorization: TOKEN }]) {
      const response = await got(`${system.ingressUrl}${urlPath}`, {
        method,
        headers,
        throwHttpErrors: false,
        retry: { limit: 0 },
      });
      expect(response.statusCode).toBe(401);
      expect(JSON.parse(response.body)).toMatchObject({ code: 'TANDEM_API_UNAUTHORIZED' });
    }
  });

  it('opens the API and metrics to the right token; /healthz stays open for probes', async () => {
    const bearer = { authorization: `Bearer ${TOKEN}` };
    expect((await get('/api/projects', bearer)).statusCode).toBe(200);
    expect((await get(`/api/projects/${linked[0].salesforceId}`, bearer)).statusCode).toBe(200);
    expect((await get('/metrics', bearer)).body).toContain('tandem_parked_records');
    expect((await get('/healthz')).statusCode).toBe(200);
  });
});

it('GET /readyz answers 503 and names the check that failed', async () => {
  const response = await get('/readyz');
  expect(response.statusCode).toBe(503);
  const body = JSON.parse(response.body) as { ready: boolean; checks: Record<string, { ok: boolean; error?: string }> };
  expect(body.ready).toBe(false);
  expect(body.checks.temporal).toEqual({ ok: true });
  expect(body.checks.procore).toEqual({ ok: true });
  expect(body.checks.salesforce).toEqual({ ok: false, error: expect.any(String) });
});

describe('tandem status', () => {
  it('prints the sync state readably', async () => {
    const [{ salesforceId, procoreId }] = linked;
    const run = await tandem(['status', salesforceId], authorized);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`Salesforce ${salesforceId}`);
    expect(run.stdout).toMatch(/status\s+synced/);
    expect(run.stdout).toMatch(new RegExp(`link\\s+Procore project ${procoreId}\\n`));
    expect(run.stdout).toMatch(/parked\s+no/);
    expect(run.stdout).toMatch(/pending writes\s+none/);
    expect(run.stdout).toMatch(/last synced\s+\d{4}-\d\d-\d\dT/);
  });

  it('says so when no sync exists, when the token is missing, and when the ingress is not there', async () => {
    const unknown = await tandem(['status', 'a0X000000000997AAA'], authorized);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No sync exists for Salesforce record a0X000000000997AAA');
    const noToken = await tandem(['status', linked[0].salesforceId]);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain('set TANDEM_API_TOKEN');
    const nobodyHome = await tandem(['status', linked[0].salesforceId], { url: deadUrl, token: TOKEN });
    expect(nobodyHome.code).toBe(1);
    expect(nobodyHome.stderr).toContain(`is the ingress running at ${deadUrl}?`);
    const usage = await tandem(['status'], authorized);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: tandem status <salesforceId>');
  });
});

describe('tandem resync', () => {
  it('re-syncs one project and prints its state afterwards', async () => {
    const [{ salesforceId }] = linked;
    const before = (await syncState(system, salesforceId)).stats.eventsApplied;
    const run = await tandem(['resync', salesforceId], authorized);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Re-synced\.\n/);
    expect(run.stdout).toMatch(/status\s+synced/);
    expect((await syncState(system, salesforceId)).stats.eventsApplied).toBeGreaterThanOrEqual(before + 2);
  });

  it('--all re-syncs every linked project with a progress bar on stderr', async () => {
    const run = await tandem(['resync', '--all'], authorized);
    expect(run.stdout).toBe(`Re-synced 2 of 2 linked projects, 0 failed\n`);
    expect(run.stderr).toContain('2/2');
    expect(run.code).toBe(0);
  });

  it('--all exits non-zero and names the project that stays parked', async () => {
    const parked = linked[1];
    // Salesforce's Name holds 80 characters: the workflow parks the record it cannot write.
    await consoleUser.editProcoreProject(system, parked.procoreId, { name: 'P'.repeat(120) });
    await eventually(
      async () => (await syncState(system, parked.salesforceId)).status === 'error',
      'the record parked',
    );
    const run = await tandem(['resync', '--all'], authorized);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Re-synced 1 of 2 linked projects, 1 failed');
    expect(run.stdout).toContain(`${parked.salesforceId}: parked: TANDEM_SALESFORCE_REJECTED`);
  });
});
