/**
 * Events about projects Procore does not have, end to end on real processes: correctly signed webhooks for the
 * sandbox's company about project ids Procore answers 404 for (what a stale event of a deleted project looks like).
 * Each costs a bounded number of Procore reads and then nothing: the router drops the event, says so once in the log
 * and in `tandem_events_dropped_total{reason="procore_project_not_found"}`, and ends. A project deleted in Procore
 * after it was linked ends its link on the stale event instead, and from then on costs nothing either.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import got from 'got';
import { SANDBOX_DEFAULT_CREDENTIALS } from '../../common/config';
import { freePort } from '../../workers/temporal/dev-server';
import { procoreRouterWorkflowId } from '../../workflows/procore-router/procore-router';
import { eventually, settles } from '../support/eventually';
import { TEST_OUTPUT } from '../support/process-harness';
import { adoptedPair } from '../support/procore-born';
import { consoleUser, sandboxStats, startSystem, syncState, type RunningSystem } from '../support/system';
import { TEST_NAMESPACES } from '../support/temporal';
import { type Recorded, recordHistoriesAndStop } from '../replay/record';

jest.setTimeout(180_000);

const LABEL = 'unknown-project';
const COMPANY_ID = 4264807;
/** Longer than the router's redelivery delay (10 s): a router still reading would show within it. */
const QUIET_MS = 25_000;
const PROJECT_READ = 'GET /rest/v1.0/projects/:id';

let system: RunningSystem;
let metricsUrl: string;
const recorded: Recorded[] = [];

beforeAll(async () => {
  const metricsPort = await freePort();
  system = await startSystem(
    TEST_NAMESPACES.unknownProject,
    {},
    { label: LABEL, partEnv: { worker: { METRICS_PORT: String(metricsPort) } } },
  );
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
}, 120_000);

afterAll(() => recordHistoriesAndStop(system, recorded));

let sent = 0;
/** A webhook as Procore signs and sends it for the company's hook. */
async function sendWebhook(resourceId: number, eventType: 'create' | 'update', ulid?: string): Promise<string> {
  const id = ulid ?? `01UNKNOWN${Date.now().toString(36).toUpperCase()}${String(sent++).padStart(4, '0')}`;
  const answer = await got
    .post(`${system.ingressUrl}/webhooks/procore`, {
      headers: { authorization: `Bearer ${SANDBOX_DEFAULT_CREDENTIALS.procoreWebhookSecret}` },
      json: {
        ulid: id,
        timestamp: new Date().toISOString(),
        company_id: COMPANY_ID,
        project_id: resourceId,
        api_version: 'v2',
        event_type: eventType,
        resource_name: 'Projects',
        resource_id: resourceId,
        metadata: { source_application_id: null, source_user_id: 1 },
      },
    })
    .json<{ accepted: boolean }>();
  expect(answer).toEqual({ accepted: true });
  return id;
}

const procoreStats = () => sandboxStats(system.procoreUrl);
const projectReads = async () => (await procoreStats()).api[PROJECT_READ] ?? 0;
/** Procore calls but the periodic sweep's list and the webhook keeper's checks, which run on their own clocks. */
const procoreSyncCalls = async () =>
  Object.entries((await procoreStats()).api)
    .filter(([route]) => route !== 'GET /rest/v1.1/projects' && !route.includes('/webhooks/'))
    .reduce((n, [, count]) => n + count, 0);
const apiCalls = async () => ({
  salesforce: (await sandboxStats(system.salesforceUrl)).total,
  procore: (await procoreStats()).total,
});

async function droppedNotFound(): Promise<number> {
  const text = await got(metricsUrl).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('tandem_events_dropped_total{reason="procore_project_not_found"}'));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** The worker's warn lines about the project (its log file is appended to across runs: count, then compare). */
function notFoundLogLines(procoreId: number): number {
  const log = readFileSync(path.join(TEST_OUTPUT, `${LABEL}-worker.log`), 'utf8');
  return log
    .split('\n')
    .filter(
      (l) =>
        l.includes('Procore has no such project') &&
        l.includes(String(procoreId)) &&
        l.includes('TANDEM_PROCORE_PROJECT_NOT_FOUND'),
    ).length;
}

async function routerStatus(procoreId: number): Promise<string | undefined> {
  return (await system.temporal.workflow.getHandle(procoreRouterWorkflowId(String(procoreId))).describe()).status.name;
}

describe('an event about a project Procore does not have', () => {
  it('costs one read per router, is dropped, logged and counted, and its router ends', async () => {
    const procoreId = 987654321;
    await settles(apiCalls, 'API calls before the events');
    const [readsBefore, droppedBefore, linesBefore] = [
      await projectReads(),
      await droppedNotFound(),
      notFoundLogLines(procoreId),
    ];
    // Two events about the project, and Procore's duplicate delivery of the first.
    const first = await sendWebhook(procoreId, 'update');
    await sendWebhook(procoreId, 'update');
    await sendWebhook(procoreId, 'update', first);
    recorded.push([procoreRouterWorkflowId(String(procoreId)), 'procore-router.project-not-found']);

    await eventually(async () => (await routerStatus(procoreId)) === 'COMPLETED', 'the router to end', 30_000);
    // The calls stop: nothing reads on over a quiet period longer than the router's redelivery delay.
    await settles(procoreSyncCalls, 'Procore calls after the events', QUIET_MS, 90_000);
    const reads = (await projectReads()) - readsBefore;
    // One read a router run; a run that ended before the next event came means another run, never more.
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(3);
    expect(await routerStatus(procoreId)).toBe('COMPLETED');
    const dropped = await eventually(async () => {
      const now = (await droppedNotFound()) - droppedBefore;
      return now >= 2 ? now : undefined;
    }, 'the dropped events in the worker’s metrics');
    // Every distinct event dropped once; the duplicate is dropped again only if it found a new run.
    expect(dropped).toBeLessThanOrEqual(3);
    expect(notFoundLogLines(procoreId) - linesBefore).toBe(dropped);
    console.log(`project ${procoreId}: ${reads} Procore read(s), ${dropped} event(s) dropped, router completed`);
  });

  it('costs exactly one read for a lone event, whatever its type', async () => {
    const procoreId = 987654322;
    await settles(apiCalls, 'API calls before the event');
    const readsBefore = await projectReads();
    await sendWebhook(procoreId, 'create');
    await eventually(async () => (await routerStatus(procoreId)) === 'COMPLETED', 'the router to end', 30_000);
    await settles(procoreSyncCalls, 'Procore calls after the event', QUIET_MS, 90_000);
    expect((await projectReads()) - readsBefore).toBe(1);
  });
});

describe('a stale event about a project deleted in Procore after it was linked', () => {
  it('ends the link once, and then costs no more calls', async () => {
    const created = await consoleUser.createProcoreProject(system, { name: 'Harbor Street Depot' });
    const { sf } = await adoptedPair(system, created.id, 60_000);
    await eventually(async () => (await syncState(system, sf.Id)).status === 'synced', 'status synced');
    await settles(apiCalls, 'API calls after the adoption');
    // Deleted for good by Procore support: no webhook says so, the API answers 404 from now on.
    await got.delete(`${system.procoreUrl}/sandbox/ui/projects/${created.id}`);
    await sendWebhook(created.id, 'update');
    await eventually(async () => (await syncState(system, sf.Id)).status === 'unlinked', 'the link to end', 60_000);
    const settled = await settles(procoreSyncCalls, 'Procore calls after the link ended', QUIET_MS, 90_000);
    // A second stale event reaches the ended link (or the linked router): nothing reads Procore for it.
    await sendWebhook(created.id, 'update');
    expect(await settles(procoreSyncCalls, 'Procore calls after a second stale event', 5000, 60_000)).toBe(settled);
    expect((await syncState(system, sf.Id)).status).toBe('unlinked');
  });
});
