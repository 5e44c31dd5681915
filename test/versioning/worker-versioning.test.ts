/**
 * Worker Versioning end to end, on the run's real Temporal server: v1 workers (this build) with live syncs, a v2
 * build whose workflows record a command v1 histories lack (no `patched()`), then ramp, promote and roll back with
 * `tandem deploy`. No history may hold a nondeterministic task; each sync moves by continuing as new onto its target
 * version (workflows/versioning.ts), so after a promotion its next change runs on v2, after a rollback on v1.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporal as proto } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { projectSyncWorkflowId } from '../../workflows/project-sync/messages';
import { buildIdOf } from '../../workers/temporal/deployment-version';
import { describeDeployment } from '../../workers/temporal/deployments';
import { workflowBundlePath, writeWorkflowBundle } from '../../workers/temporal/workflow-bundle';
import { ensureTandemNamespace } from '../../workers/temporal/namespace';
import { eventually } from '../support/eventually';
import { startTandemProcess, type TandemProcess } from '../support/process-harness';
import { consoleUser, linkedPair, procoreProject, READY, startSystem, type RunningSystem } from '../support/system';
import { runTandem } from '../support/tandem-cli';
import { temporalAddress } from '../support/temporal';
import { V2_MEMO_KEY } from './v2-build/interceptors';

jest.setTimeout(120_000);

const NAMESPACE = 'tandem-versioning';
const DEPLOYMENT = 'tandem';
const NONDETERMINISTIC = proto.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR;
const release = (
  JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }
).version;

const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-versioning-'));
let system: RunningSystem;
const v2Processes: TandemProcess[] = [];
let v1 = '';
let v2 = '';
let v2Bundle = '';
const syncs: { salesforceId: string; procoreId: number }[] = [];

const handle = (salesforceId: string): WorkflowHandle =>
  system.temporal.workflow.getHandle(projectSyncWorkflowId(salesforceId));

/** The build the sync's open run is pinned to, and that run's id. */
async function pinnedTo(salesforceId: string): Promise<{ buildId?: string; runId: string; behavior?: number }> {
  const { raw, runId } = await handle(salesforceId).describe();
  const info = raw.workflowExecutionInfo?.versioningInfo;
  return { buildId: info?.deploymentVersion?.buildId ?? undefined, runId, behavior: info?.behavior ?? undefined };
}

/** Whether a run's history holds v2's extra command (its memo upsert). */
async function ranV2(salesforceId: string, runId: string): Promise<boolean> {
  const history = await system.temporal.workflow.getHandle(projectSyncWorkflowId(salesforceId), runId).fetchHistory();
  return (history.events ?? []).some(
    (e) => e.workflowPropertiesModifiedEventAttributes?.upsertedMemo?.fields?.[V2_MEMO_KEY] !== undefined,
  );
}

/** Edits each project in Salesforce and waits for the edit in Procore. */
async function editEach(label: string): Promise<void> {
  await Promise.all(
    syncs.map(async ({ salesforceId, procoreId }, i) => {
      const text = `${label} ${i}`;
      await consoleUser.editSalesforceProject(system, salesforceId, { Description__c: text });
      await eventually(
        async () => (await procoreProject(system, procoreId)).description === text,
        `${label}: project ${i} in Procore`,
        30_000,
      );
    }),
  );
}

/** Waits until every sync's open run is pinned to `buildId`; the failure names where each one is. */
async function allPinnedTo(buildId: string, what: string): Promise<void> {
  const pinned = () => Promise.all(syncs.map((s) => pinnedTo(s.salesforceId)));
  try {
    await eventually(async () => (await pinned()).every((p) => p.buildId === buildId), what, 30_000);
  } catch (err) {
    throw new Error(`${(err as Error).message}: ${JSON.stringify(await pinned())}`, { cause: err });
  }
}

async function nondeterministicTasks(): Promise<string[]> {
  const found: string[] = [];
  for await (const wf of system.temporal.workflow.list()) {
    const history = await system.temporal.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    for (const e of history.events ?? [])
      if (e.workflowTaskFailedEventAttributes?.cause === NONDETERMINISTIC)
        found.push(`${wf.workflowId}/${wf.runId}: ${e.workflowTaskFailedEventAttributes.failure?.message ?? ''}`);
  }
  return found;
}

async function deploy(...args: string[]): Promise<string> {
  const run = await runTandem(system, ['deploy', ...args]);
  if (run.code !== 0) throw new Error(`tandem deploy ${args.join(' ')}: ${run.code}\n${run.stderr}`);
  return run.stdout;
}

beforeAll(async () => {
  const building = writeWorkflowBundle(path.join(dir, 'v2', 'workflow-bundle.js'), [
    path.join(__dirname, 'v2-build', 'interceptors.ts'),
  ]);
  building.catch(() => undefined);
  await ensureTandemNamespace(temporalAddress(), NAMESPACE);
  system = await startSystem(NAMESPACE, {}, { label: 'versioning' });
  v2Bundle = await building;
  v2 = buildIdOf(release, readFileSync(v2Bundle));
}, 180_000);

afterAll(async () => {
  await Promise.all(v2Processes.map((p) => p.stop()));
  await system?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Worker Versioning', () => {
  it('runs the workers as the current version of a fresh deployment, its build id from the release and bundle', async () => {
    v1 = buildIdOf(release, readFileSync(await workflowBundlePath()));
    const state = await describeDeployment(system.temporal, DEPLOYMENT);
    expect(state?.current).toBe(v1);
    expect(v1).toMatch(new RegExp(`^${release.replace(/\./g, '\\.')}-[0-9a-f]{10}$`));
    expect(v2).not.toBe(v1);

    for (const name of ['Versioned A', 'Versioned B', 'Versioned C']) {
      const created = await consoleUser.createSalesforceProject(system, { Name: name, City__c: 'Denver' });
      const { pc } = await linkedPair(system, created.Id, 30_000);
      syncs.push({ salesforceId: created.Id, procoreId: pc.id });
    }
    await editEach('v1 at work');
    for (const { salesforceId } of syncs) {
      const { buildId, behavior } = await pinnedTo(salesforceId);
      expect(buildId).toBe(v1);
      expect(behavior).toBe(proto.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED);
    }
  });

  it('v2 would be nondeterministic for a v1 history: it replays only on v1', async () => {
    const history = await handle(syncs[0].salesforceId).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: { codePath: await workflowBundlePath() } }, history);
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: v2Bundle } }, history)).rejects.toThrow(
      /[Nn]ondetermin/,
    );
  });

  it('ramps v2: the ramped syncs move to it, the others stay on v1, all keep syncing', async () => {
    const env = { ...system.env, TANDEM_WORKFLOW_BUNDLE: v2Bundle };
    const started = await Promise.all([
      startTandemProcess('versioning-v2-worker', ['worker'], env, READY.worker),
      startTandemProcess('versioning-v2-cdc', ['cdc'], env, READY.cdc),
    ]);
    v2Processes.push(...started);
    // A new version is not current by itself: v1 keeps every workflow until the operator moves routing.
    expect((await describeDeployment(system.temporal, DEPLOYMENT))?.current).toBe(v1);

    await deploy('ramp', v2, '50');
    expect((await describeDeployment(system.temporal, DEPLOYMENT))?.ramping).toEqual({ buildId: v2, percentage: 50 });
    await editEach('while ramping');
    for (const { salesforceId } of syncs) {
      const { buildId, runId } = await pinnedTo(salesforceId);
      expect([v1, v2]).toContain(buildId);
      expect(await ranV2(salesforceId, runId)).toBe(buildId === v2);
    }
    expect(await nondeterministicTasks()).toEqual([]);
  });

  it('promotes v2: every sync moves to it, and its next change runs there', async () => {
    expect(await deploy('promote', v2)).toMatch(/is current/);
    await allPinnedTo(v2, 'every sync pinned to v2');
    await editEach('after promotion');
    for (const { salesforceId } of syncs) {
      const { buildId, runId } = await pinnedTo(salesforceId);
      expect(buildId).toBe(v2);
      expect(await ranV2(salesforceId, runId)).toBe(true);
    }
    expect(await deploy('status')).toMatch(new RegExp(`${v2}\\s+current`));
    expect(await nondeterministicTasks()).toEqual([]);
  });

  it('rolls back to v1: new work goes back to v1', async () => {
    await deploy('rollback', v1);
    await allPinnedTo(v1, 'every sync pinned to v1 again');
    await editEach('after rollback');
    for (const { salesforceId } of syncs) {
      const { buildId, runId } = await pinnedTo(salesforceId);
      expect(buildId).toBe(v1);
      expect(await ranV2(salesforceId, runId)).toBe(false);
    }
    expect(await nondeterministicTasks()).toEqual([]);
  });
});
