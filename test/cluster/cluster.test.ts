/**
 * The production shape on this machine (`tandem cluster up`): PostgreSQL, the Temporal server with SQL visibility
 * and its Web UI, two sync workers, the CDC worker, two ingresses behind the balancer, the sandboxes, each its own
 * process. A project syncs end to end through it, an edit made while the Temporal server is down syncs once it is
 * back, webhooks keep arriving with one ingress dead, syncs continue through a rolling restart of the workers, a
 * short soak converges with a Temporal restart, a rolling deploy onto a new workflow build and a dead ingress in its
 * middle (`npm run soak -- --cluster` is the long form), and `down` leaves nothing running.
 * `.ci/run` builds the Temporal server in the background (`tandem cluster install`; a cold build takes minutes) while
 * the other files run; while it is building, jest runs this file last, and it waits for the build (clusterToolsReady).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import got from 'got';
import { projectSyncWorkflowId } from '../../workflows/project-sync/messages';
import {
  clusterDown,
  clusterUp,
  residentMiB,
  restartClusterProcess,
  stopClusterProcess,
  type RunningCluster,
} from '../../workers/cluster/cluster';
import { isAlive, readState } from '../../workers/cluster/processes';
import { eventually } from '../support/eventually';
import { TEST_OUTPUT } from '../support/process-harness';
import { clusterSystem, clusterToolsReady } from '../support/cluster';
import { consoleUser, linkedPair, procoreProject, salesforceProject, type RunningSystem } from '../support/system';
import { soakClusterOverrides } from '../soak/lib/cluster-system';
import { DEFAULT_OPTIONS } from '../soak/lib/options';
import { formatReport } from '../soak/lib/report';
import { runSoakOnCluster } from '../soak/lib/soak';
import { buildNextBundle } from '../soak/lib/next-build/build';

jest.setTimeout(180_000);

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tandem-cluster-'));
// Clear of the default cluster (17200) and of the ephemeral range the run's dev server draws from.
const portBase = 21000 + Math.floor(Math.random() * 200) * 20;
let cluster: RunningCluster;
let system: RunningSystem;
// The soak's new workflow build, bundled while the cluster comes up.
let nextBundle: Promise<string>;

async function webhooksReceivedBy(port: number): Promise<number> {
  const metrics = await got(`http://127.0.0.1:${port}/metrics`).text();
  const line = /^tandem_events_received_total\{source="procore"\} (\d+)/m.exec(metrics);
  return Number(line?.[1] ?? 0);
}

// `.ci/run` builds the Temporal server in the background while the other files run: wait for that build.
beforeAll(() => clusterToolsReady(), 45 * 60_000);

beforeAll(async () => {
  // The soak's settings (reconciliation every 3 s, Procore's hourly limit raised), so the last test can soak it.
  nextBundle = buildNextBundle(dataDir);
  nextBundle.catch(() => undefined);
  const report = (line: string) => process.stderr.write(`[cluster] ${line}\n`);
  cluster = await clusterUp({ dataDir, portBase, overrides: soakClusterOverrides(), report });
  system = await clusterSystem(cluster);
  const memory = Object.entries(cluster.pids).map(([name, pid]) => `${name} ${residentMiB(pid)?.rss ?? '?'} MiB`);
  process.stderr.write(`[cluster] up in ${cluster.upSeconds.toFixed(1)} s; ${memory.join(', ')}\n`);
}, 900_000);

afterAll(async () => {
  await system?.stop();
  await clusterDown(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('tandem cluster', () => {
  it('runs every part as its own process, Temporal on PostgreSQL with the search attributes and the UI', async () => {
    const names = Object.keys(cluster.pids).sort();
    expect(names).toEqual(
      [
        'cdc',
        'ingress-1',
        'ingress-2',
        'ingress-balancer',
        'postgresql',
        'procore-sandbox',
        'salesforce-sandbox',
        'temporal-server',
        'temporal-ui',
        'worker-1',
        'worker-2',
      ].sort(),
    );
    expect(new Set(Object.values(cluster.pids)).size).toBe(names.length);
    const { customAttributes } = await system.temporal.connection.operatorService.listSearchAttributes({
      namespace: cluster.namespace,
    });
    expect(customAttributes).toMatchObject({ SalesforceId: 2, ProcoreProjectId: 2, SyncStatus: 2 });
    const ui = await got(`${cluster.temporalUiUrl}/namespaces/${cluster.namespace}/workflows`);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
    expect((await got(`${cluster.ingressUrl}/readyz`)).statusCode).toBe(200);
  });

  let salesforceId: string;
  let procoreId: number;

  it('syncs a project both ways, and SQL visibility finds its workflow by SalesforceId', async () => {
    const created = await consoleUser.createSalesforceProject(system, { Name: 'Cluster Tower', City__c: 'Denver' });
    salesforceId = created.Id;
    const { pc } = await linkedPair(system, salesforceId, 60_000);
    procoreId = pc.id;
    expect(pc).toMatchObject({ name: 'Cluster Tower', city: 'Denver' });

    await consoleUser.editProcoreProject(system, procoreId, { city: 'Boulder' });
    await eventually(
      async () => (await salesforceProject(system, salesforceId)).City__c === 'Boulder',
      'the Procore edit in Salesforce',
      60_000,
    );
    const found = await eventually(async () => {
      const ids: string[] = [];
      for await (const wf of system.temporal.workflow.list({ query: `SalesforceId = "${salesforceId}"` }))
        ids.push(wf.workflowId);
      return ids.length ? ids : undefined;
    }, 'the workflow in SQL visibility');
    expect(found).toEqual([projectSyncWorkflowId(salesforceId)]);
  });

  it('completes a sync across a Temporal server restart, for an edit made while the server was down', async () => {
    await stopClusterProcess(dataDir, 'temporal-server');
    await consoleUser.editSalesforceProject(system, salesforceId, { Description__c: 'made while Temporal was down' });
    const restarted = Date.now();
    await restartClusterProcess(dataDir, 'temporal-server');
    process.stderr.write(`[cluster] Temporal server serving again ${Date.now() - restarted} ms after its start\n`);
    await eventually(
      async () => (await procoreProject(system, procoreId)).description === 'made while Temporal was down',
      'the edit made while Temporal was down in Procore',
      120_000,
    );
    await consoleUser.editSalesforceProject(system, salesforceId, { Description__c: 'after the restart' });
    await eventually(
      async () => (await procoreProject(system, procoreId)).description === 'after the restart',
      'an edit made after the restart in Procore',
      60_000,
    );
  });

  it('keeps taking Procore webhooks through the other ingress while one is dead', async () => {
    const record = readState(cluster.layout.stateFile)?.processes['ingress-1'];
    await stopClusterProcess(dataDir, 'ingress-1', 'kill');
    expect(record && isAlive(record)).toBe(false);
    const before = await webhooksReceivedBy(cluster.layout.ports.ingressB);
    // Two edits: the balancer's turn comes to the dead ingress at least once.
    for (const city of ['Golden', 'Aurora']) {
      await consoleUser.editProcoreProject(system, procoreId, { city });
      await eventually(
        async () => (await salesforceProject(system, salesforceId)).City__c === city,
        `${city} in Salesforce with ingress-1 dead`,
        60_000,
      );
    }
    expect(await webhooksReceivedBy(cluster.layout.ports.ingressB)).toBeGreaterThanOrEqual(before + 2);
    await restartClusterProcess(dataDir, 'ingress-1');
  });

  it('keeps syncing through a rolling restart of the workers', async () => {
    const workers = ['worker-1', 'worker-2'];
    for (const [i, worker] of workers.entries()) {
      const description = `edit ${i + 1} during the rolling restart`;
      await consoleUser.editSalesforceProject(system, salesforceId, { Description__c: description });
      await restartClusterProcess(dataDir, worker);
      await eventually(
        async () => (await procoreProject(system, procoreId)).description === description,
        `${description} in Procore`,
        60_000,
      );
    }
    await consoleUser.editProcoreProject(system, procoreId, { city: 'Lakewood' });
    await eventually(
      async () => (await salesforceProject(system, salesforceId)).City__c === 'Lakewood',
      'a Procore edit after the rolling restart in Salesforce',
      60_000,
    );
  });

  // The short form of `npm run soak -- --cluster`: random edits, conflicts and every fault, with the Temporal server
  // restarted, a new workflow build rolled out (its workers and a CDC worker beside the old, promoted, the open runs
  // moved, the old workers restarted onto it) and one ingress killed in the middle; then quiescence and
  // the field-by-field comparison. The report is kept in test-output/cluster-soak-test-report.json.
  it('converges under a short soak with a Temporal restart, a rolling deploy of a new build and a dead ingress', async () => {
    const seed = Number(process.env.TANDEM_SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const report = await runSoakOnCluster(
      cluster,
      {
        ...DEFAULT_OPTIONS,
        durationS: 30,
        projects: 6,
        rate: 2,
        seed,
        label: 'cluster-soak-test',
        progress: (line) => process.stderr.write(`[cluster soak] ${line}\n`),
      },
      nextBundle,
    );
    mkdirSync(TEST_OUTPUT, { recursive: true });
    writeFileSync(path.join(TEST_OUTPUT, 'cluster-soak-test-report.json'), `${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(`${formatReport(report)}\n`);
    expect(Object.keys(report.faults)).toEqual(
      expect.arrayContaining(['temporalRestart', 'rollingDeploy', 'killIngress']),
    );
    // The new build ran (its marker is only written by it, executing a signal anew) and nothing replayed another
    // build's history wrongly: the old build never gets a moved run's task, the new one replays old histories.
    expect(report.newBuild?.withMarker).toBeGreaterThan(0);
    expect(report.newBuild?.nondeterministicTasks).toBe(0);
    expect(report.comparison.pairsCompared).toBeGreaterThanOrEqual(6);
    expect(report.comparison.diverged).toEqual([]);
    expect(report.comparison.lostEdits).toEqual([]);
    expect(report.comparison.duplicates).toEqual([]);
    expect(report.comparison.unlinked).toEqual([]);
    expect(report.loop).toBe(false);
    expect(report.ok).toBe(true);
  }, 300_000);

  it('stops everything on down, PostgreSQL included', async () => {
    const records = Object.values(readState(cluster.layout.stateFile)?.processes ?? {});
    await clusterDown(dataDir);
    expect(records.filter(isAlive)).toEqual([]);
    expect(residentMiB(cluster.pids.postgresql)).toBeUndefined();
  });
});
