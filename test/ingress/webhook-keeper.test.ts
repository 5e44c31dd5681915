/**
 * `tandem ingress` and the Procore sandbox as separate processes, the sandbox started late, stopped and started
 * again: the ingress serves from the start, registers its hook as soon as Procore answers, says on /readyz whether
 * the hook is in place, and re-creates a hook deleted in Procore; deliveries then reach it again.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import got from 'got';
import pino from 'pino';
import { ProcoreClient } from '../../activities/procore/client';
import { WebhookKeeper } from '../../ingress/procore-webhooks/keeper';
import { freePort } from '../../workers/temporal/dev-server';
import { procoreRouterWorkflowId } from '../../workflows/procore-router/procore-router';
import { eventually } from '../support/eventually';
import { startTandemProcess, type TandemProcess } from '../support/process-harness';
import { consoleUser, type RunningSystem } from '../support/system';
import { TEST_NAMESPACES, temporalAddress } from '../support/temporal';
import { SANDBOX_DEFAULT_CREDENTIALS } from '../../common/config';

jest.setTimeout(180_000);

const COMPANY_ID = 4264807;
const NAMESPACE = TEST_NAMESPACES.ingress;
let procorePort: number;
let procoreUrl: string;
let ingressUrl: string;
let dataFile: string;
let ingress: TandemProcess | undefined;
let sandbox: TandemProcess | undefined;
let connection: Connection;
const routers: string[] = [];

interface Hook {
  id: number;
  destination_url: string;
}

interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

const procore = () =>
  new ProcoreClient({
    loginUrl: procoreUrl,
    apiUrl: procoreUrl,
    ...SANDBOX_DEFAULT_CREDENTIALS.procore,
    companyId: COMPANY_ID,
  });

const hooks = () =>
  procore().request<Hook[]>('GET', '/rest/v1.0/webhooks/hooks', {
    searchParams: { company_id: COMPANY_ID, namespace: 'tandem' },
  });

const readiness = async () =>
  got(`${ingressUrl}/readyz`, { throwHttpErrors: false, retry: { limit: 0 } }).json<Readiness>();

const webhookCheck = async () => (await readiness()).checks.procoreWebhook;

async function startSandbox(): Promise<void> {
  sandbox = await startTandemProcess(
    'webhook-keeper-procore',
    ['sandbox', 'procore', '--port', String(procorePort), '--data', dataFile],
    {},
    /Procore sandbox listening at (\S+)/,
  );
}

beforeAll(async () => {
  procorePort = await freePort();
  procoreUrl = `http://127.0.0.1:${procorePort}`;
  dataFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'tandem-keeper-')), 'procore.json');
  connection = await Connection.connect({ address: temporalAddress() });
  const ingressPort = await freePort();
  ingress = await startTandemProcess(
    'webhook-keeper-ingress',
    ['ingress'],
    {
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_NAMESPACE: NAMESPACE,
      INGRESS_HOST: '127.0.0.1',
      INGRESS_PORT: String(ingressPort),
      INGRESS_PUBLIC_URL: undefined,
      PROCORE_LOGIN_URL: procoreUrl,
      PROCORE_API_URL: procoreUrl,
      SALESFORCE_LOGIN_URL: 'http://127.0.0.1:9',
      TANDEM_API_TOKEN: undefined,
      WEBHOOK_RECHECK_MS: '1000',
      METRICS_PORT: undefined,
    },
    /tandem-ingress ready at (\S+)/,
  );
  ingressUrl = ingress.ready[1];
});

afterAll(async () => {
  await ingress?.stop();
  await sandbox?.stop();
  const client = new Client({ connection, namespace: NAMESPACE });
  for (const id of routers)
    await client.workflow
      .getHandle(id)
      .terminate('test cleanup')
      .catch(() => undefined);
  await connection?.close();
});

describe('the Procore webhook, kept in the background', () => {
  it('the ingress serves with Procore down, and /readyz says the hook is not in place', async () => {
    expect((await got(`${ingressUrl}/healthz`).json<{ ok: boolean }>()).ok).toBe(true);
    const ready = await readiness();
    expect(ready.ready).toBe(false);
    expect(ready.checks.procoreWebhook).toMatchObject({ ok: false });
    expect(ready.checks.procoreWebhook.error).toMatch(/Procore webhook not registered yet/);
  });

  it('registers the hook once Procore starts, and /readyz says so', async () => {
    await startSandbox();
    const [hook] = await eventually(async () => {
      const found = await hooks();
      return found.length === 1 ? found : undefined;
    }, 'the hook registered in Procore');
    expect(hook.destination_url).toBe(`${ingressUrl}/webhooks/procore`);
    // /readyz caches its answer for 15 s: the next fresh one shows the hook.
    await eventually(async () => (await webhookCheck()).ok, '/readyz with the hook in place', 40_000, 1000);
  });

  it('re-creates a hook deleted in Procore, and deliveries reach the ingress again', async () => {
    const [deleted] = await hooks();
    await procore().request('DELETE', `/rest/v1.0/webhooks/hooks/${deleted.id}`, {
      searchParams: { company_id: COMPANY_ID },
    });
    const [recreated] = await eventually(async () => {
      const found = await hooks();
      return found.length === 1 && found[0].id !== deleted.id ? found : undefined;
    }, 'a new hook after the delete');
    expect(recreated.destination_url).toBe(`${ingressUrl}/webhooks/procore`);
    // The keeper makes the hook, then its triggers: a project created in between would fire nothing (CI saw it).
    await eventually(async () => {
      const triggers = await procore().request<Array<{ resource_name: string; event_type: string }>>(
        'GET',
        `/rest/v1.0/webhooks/hooks/${recreated.id}/triggers`,
        { searchParams: { company_id: COMPANY_ID } },
      );
      return triggers.some((t) => t.resource_name === 'Projects' && t.event_type.toLowerCase() === 'create')
        ? true
        : undefined;
    }, "the new hook's Projects create trigger");

    const system = { procoreUrl } as RunningSystem;
    const project = await consoleUser.createProcoreProject(system, { name: 'Keeper Test Tower' });
    const routerId = procoreRouterWorkflowId(String(project.id));
    routers.push(routerId);
    const client = new Client({ connection, namespace: NAMESPACE });
    const description = await eventually(
      () => client.workflow.getHandle(routerId).describe(),
      `the delivery handed to Temporal (${routerId})`,
      30_000,
      250,
    );
    expect(description.status.name).toBe('RUNNING');
  });

  it('stays up while Procore is stopped, reports the hook unconfirmed, and confirms it when Procore is back', async () => {
    await sandbox?.stop();
    sandbox = undefined;
    await eventually(async () => (await webhookCheck()).ok === false, '/readyz: hook unconfirmed', 40_000, 1000);
    expect((await got(`${ingressUrl}/healthz`).json<{ ok: boolean }>()).ok).toBe(true);
    await startSandbox();
    await eventually(async () => (await webhookCheck()).ok, '/readyz: hook in place again', 60_000, 1000);
    expect(await hooks()).toHaveLength(1);
  });
});

describe('the registration retries', () => {
  it('grow, but stay under their cap however long the re-check interval (Procore back after an outage is used soon)', async () => {
    const closedPort = await freePort();
    const lines: Array<{ retryMs?: number }> = [];
    const logger = pino(
      { level: 'warn' },
      { write: (line: string) => lines.push(JSON.parse(line) as { retryMs?: number }) },
    );
    const keeper = new WebhookKeeper({
      procore: new ProcoreClient({
        loginUrl: `http://127.0.0.1:${closedPort}`,
        apiUrl: `http://127.0.0.1:${closedPort}`,
        ...SANDBOX_DEFAULT_CREDENTIALS.procore,
        companyId: COMPANY_ID,
      }),
      authorization: 'Bearer keeper-test',
      recheckMs: 300_000,
      firstRetryMs: 20,
      maxRetryMs: 80,
      logger,
    });
    try {
      await keeper.start('http://127.0.0.1:9/webhooks/procore');
      await eventually(async () => (lines.length >= 6 ? true : undefined), 'six failed registrations', 20_000, 20);
      expect(lines.slice(0, 6).map((line) => line.retryMs)).toEqual([20, 40, 80, 80, 80, 80]);
      expect(keeper.status()).toMatchObject({ registered: false, lastError: expect.stringMatching(/ECONNREFUSED/) });
    } finally {
      await keeper.stop();
    }
  });
});
