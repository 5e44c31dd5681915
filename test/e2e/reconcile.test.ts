/**
 * Anti-entropy, end to end: the Procore sandbox drops every webhook, and the periodic sweep (every 2 s here) still
 * brings a Procore edit to Salesforce, without loops: apart from the sweep's own list call, API calls settle.
 */
import got from 'got';
import { freePort } from '../../workers/temporal/dev-server';
import { PROCORE_RECONCILE_WORKFLOW_ID } from '../../workflows/reconcile/messages';
import { eventually, settles } from '../support/eventually';
import {
  consoleUser,
  linkedPair,
  procoreProject,
  salesforceProject,
  sandboxStats,
  setFaults,
  startSystem,
  syncState,
  type RunningSystem,
  type SandboxStats,
} from '../support/system';
import { TEST_NAMESPACES } from '../support/temporal';

jest.setTimeout(120_000);

const EVERY_MS = 2000;
const SWEEP_ROUTE = 'GET /rest/v1.1/projects';

let system: RunningSystem;
let metricsUrl: string;

beforeAll(async () => {
  const metricsPort = await freePort();
  system = await startSystem(
    TEST_NAMESPACES.reconcile,
    { TANDEM_RECONCILE_EVERY: String(EVERY_MS) },
    { label: 'reconcile', partEnv: { worker: { METRICS_PORT: String(metricsPort) } } },
  );
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
}, 120_000);

afterAll(async () => {
  await system?.stop();
});

type ProcoreStats = SandboxStats & { webhooks: { dropped: number } };
const procoreStats = () => sandboxStats(system.procoreUrl) as Promise<ProcoreStats>;

/** Every API call but the sweep's list: those are the calls that must stop once nothing changes. */
const syncCalls = async () => {
  const procore = await procoreStats();
  return {
    salesforce: (await sandboxStats(system.salesforceUrl)).total,
    procore: procore.total - (procore.api[SWEEP_ROUTE] ?? 0),
  };
};

const metric = (text: string, name: string): number => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{system="procore"}`));
  return line ? Number(line.split(' ').pop()) : 0;
};

describe('reconciliation with every Procore webhook dropped', () => {
  let salesforceId: string;
  let procoreId: number;

  beforeAll(async () => {
    const created = await consoleUser.createSalesforceProject(system, { Name: 'Lost Letter Depot', City__c: 'Boise' });
    salesforceId = created.Id;
    procoreId = (await linkedPair(system, salesforceId)).pc.id;
    await eventually(async () => (await syncState(system, salesforceId)).status === 'synced', 'status synced');
    await setFaults(system.procoreUrl, { dropWebhooks: 1 });
  });

  afterAll(async () => {
    await setFaults(system.procoreUrl, null);
  });

  it('runs as one singleton workflow in Temporal', async () => {
    const description = await system.temporal.workflow.getHandle(PROCORE_RECONCILE_WORKFLOW_ID).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.type).toBe('procoreReconcile');
  });

  it('brings a Procore edit whose webhook was dropped to Salesforce within a few intervals', async () => {
    const droppedBefore = (await procoreStats()).webhooks.dropped;
    await consoleUser.editProcoreProject(system, procoreId, { city: 'Olympia' });
    await eventually(async () => (await procoreStats()).webhooks.dropped > droppedBefore, 'the webhook dropped');
    const sf = await eventually(
      async () => {
        const record = await salesforceProject(system, salesforceId);
        return record.City__c === 'Olympia' ? record : undefined;
      },
      'the Procore edit in Salesforce',
      4 * EVERY_MS + 10_000,
    );
    expect(sf.City__c).toBe('Olympia');
  });

  it('does not loop: a Salesforce edit reaches Procore and then only the sweep keeps calling', async () => {
    await consoleUser.editSalesforceProject(system, salesforceId, { Description__c: 'swept, not echoed' });
    await eventually(
      async () => (await procoreProject(system, procoreId)).description === 'swept, not echoed',
      'the Salesforce edit in Procore',
    );
    // Longer than two sweeps plus the overlap, so Tandem's own Procore write has been swept at least once.
    const settled = await settles(syncCalls, 'API calls other than the sweep', 3 * EVERY_MS, 60_000);
    const sweepsBefore = (await procoreStats()).api[SWEEP_ROUTE] ?? 0;
    await eventually(
      async () => ((await procoreStats()).api[SWEEP_ROUTE] ?? 0) >= sweepsBefore + 2,
      'two more sweeps',
      4 * EVERY_MS + 5000,
    );
    expect(await syncCalls()).toEqual(settled);
    const state = await syncState(system, salesforceId);
    expect(state.status).toBe('synced');
    expect(state.pendingWrites).toEqual({ salesforce: [], procore: [] });
  });

  it('counts sweeps, projects read and changes handed over in the worker metrics', async () => {
    const text = await got(metricsUrl).text();
    expect(metric(text, 'tandem_reconcile_sweeps_total')).toBeGreaterThan(2);
    expect(metric(text, 'tandem_reconcile_projects_read_total')).toBeGreaterThanOrEqual(1);
    expect(metric(text, 'tandem_reconcile_changes_handed_total')).toBeGreaterThanOrEqual(1);
  });
});
