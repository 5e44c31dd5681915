/**
 * Anti-entropy, end to end, each part a separate process: a Temporal Schedule runs the sweep every 2 s here. It
 * brings Procore edits whose webhooks were dropped, or discarded by a hook Procore disabled, to Salesforce; a
 * Salesforce delete CDC never delivered (its events expired while the CDC worker was down) to Procore; and it
 * signals only syncs that missed something: once nothing changes, only the sweeps' own reads go on.
 */
import got from 'got';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { freePort } from '../../workers/temporal/dev-server';
import {
  FULL_RECONCILE_SCHEDULE_ID,
  RECONCILE_SCHEDULE_ID,
  type ReconcileResult,
} from '../../workflows/reconcile/messages';
import { eventually, settles } from '../support/eventually';
import {
  consoleUser,
  linkedPair,
  procoreGet,
  procoreProject,
  procoreProjectsByOrigin,
  procoreToken,
  salesforceProject,
  sandboxStats,
  setFaults,
  startSystem,
  syncState,
  type RunningSystem,
  type SandboxStats,
} from '../support/system';
import { TEST_NAMESPACES } from '../support/temporal';
import { type Recorded, recordHistoriesAndStop } from '../replay/record';
import { adoptedPair } from '../support/procore-born';
import { TASK_QUEUES } from '../../workflows/task-queues';
import { salesforceChangeStream } from '../../workflows/change-stream/change-stream';
import { CHANGE_STREAM_WORKFLOW_ID } from '../../workflows/change-stream/messages';
import { projectSyncWorkflowId, resyncRequested } from '../../workflows/project-sync/messages';

jest.setTimeout(180_000);

const EVERY_MS = 2000;
const RECHECK_MS = 123_000;
/** The replication API covers whole minutes and leaves out the running one: a Salesforce change waits for its end. */
const SALESFORCE_MINUTE_MS = 60_000;
const isSweepRoute = (route: string) =>
  route === 'GET /rest/v1.1/projects' || /\/(updated|deleted|queryAll)(\/|$)/.test(route);

let system: RunningSystem;
let metricsUrl: string;

beforeAll(async () => {
  const [metricsPort, ingressPort] = [await freePort(), await freePort()];
  system = await startSystem(
    TEST_NAMESPACES.reconcile,
    // The re-check interval of a rejected park, from the environment to every sync the processes start.
    { TANDEM_RECONCILE_EVERY: String(EVERY_MS), TANDEM_RECHECK_REJECTED_MS: String(RECHECK_MS) },
    {
      label: 'reconcile',
      // A fixed ingress port: the restarted ingress finds its hook (same destination) and turns it back on.
      partEnv: { worker: { METRICS_PORT: String(metricsPort) }, ingress: { INGRESS_PORT: String(ingressPort) } },
      // Procore gives up on a failing destination after two attempts 200 ms apart, and disables its hook.
      procoreSandboxArgs: ['--webhook-retry-ms', '200', '--webhook-max-attempts', '2'],
    },
  );
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
}, 120_000);

/** Workflows whose histories `TANDEM_RECORD_HISTORIES=1` keeps for the replay test (test/replay). */
const recorded: Recorded[] = [];

afterAll(() => recordHistoriesAndStop(system, recorded));

type ProcoreStats = SandboxStats & { webhooks: { dropped: number; delivered: number } };
const procoreStats = () => sandboxStats(system.procoreUrl) as Promise<ProcoreStats>;
const sweepCalls = (stats: SandboxStats) =>
  Object.entries(stats.api).reduce((n, [route, count]) => (isSweepRoute(route) ? n + count : n), 0);

/** Every API call but the sweeps' own reads: those are the calls that must stop once nothing changes. */
const syncCalls = async () => {
  const [salesforce, procore] = [await sandboxStats(system.salesforceUrl), await procoreStats()];
  return { salesforce: salesforce.total - sweepCalls(salesforce), procore: procore.total - sweepCalls(procore) };
};

const metric = (text: string, name: string, system: 'procore' | 'salesforce'): number => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{system="${system}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
};
const differences = async () => {
  const text = await got(metricsUrl).text();
  return {
    procore: metric(text, 'tandem_reconcile_differences_total', 'procore'),
    salesforce: metric(text, 'tandem_reconcile_differences_total', 'salesforce'),
  };
};

async function newLinkedProject(name: string): Promise<{ salesforceId: string; procoreId: number }> {
  const created = await consoleUser.createSalesforceProject(system, { Name: name, City__c: 'Boise' });
  const procoreId = (await linkedPair(system, created.Id)).pc.id;
  await eventually(async () => (await syncState(system, created.Id)).status === 'synced', 'status synced');
  return { salesforceId: created.Id, procoreId };
}

/** Triggers the daily full sweep now and returns its result. */
async function fullSweep(): Promise<ReconcileResult> {
  const daily = system.temporal.schedule.getHandle(FULL_RECONCILE_SCHEDULE_ID);
  // By run id: the schedule names its runs by the second, so two sweeps triggered within one second share a
  // workflow id (the second run of an id whose first has closed).
  const ranBefore = new Set(
    (await daily.describe()).info.recentActions.map((a) => a.action.workflow.firstExecutionRunId),
  );
  await daily.trigger();
  const run = await eventually(async () => {
    const recent = (await daily.describe()).info.recentActions;
    return recent.find((a) => !ranBefore.has(a.action.workflow.firstExecutionRunId));
  }, 'a new full sweep started');
  const { workflowId, firstExecutionRunId } = run.action.workflow;
  return (await system.temporal.workflow.getHandle(workflowId, firstExecutionRunId).result()) as ReconcileResult;
}

async function cityInSalesforce(salesforceId: string, city: string, timeoutMs = 4 * EVERY_MS + 30_000) {
  return eventually(
    async () => (await salesforceProject(system, salesforceId)).City__c === city,
    `${city} in Salesforce`,
    timeoutMs,
  );
}

describe('the schedules', () => {
  it('run the sweep from Temporal Schedules, one every interval and one full sweep a day; the old loop is gone', async () => {
    const every = await system.temporal.schedule.getHandle(RECONCILE_SCHEDULE_ID).describe();
    expect(every.spec.intervals?.[0]?.every).toBe(EVERY_MS);
    expect(every.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(every.action.type === 'startWorkflow' && every.action.workflowType).toBe('reconcile');
    const daily = await system.temporal.schedule.getHandle(FULL_RECONCILE_SCHEDULE_ID).describe();
    expect(daily.spec.intervals?.[0]?.every).toBe(24 * 3_600_000);
    expect(daily.action.type === 'startWorkflow' && daily.action.args).toEqual([
      { everyMs: 24 * 3_600_000, full: true },
    ]);
    const ran = await eventually(
      async () => {
        const recent = (await system.temporal.schedule.getHandle(RECONCILE_SCHEDULE_ID).describe()).info.recentActions;
        return recent.length >= 2 ? recent : undefined;
      },
      'two scheduled sweeps',
      4 * EVERY_MS + 10_000,
    );
    const run = system.temporal.workflow.getHandle(ran[0].action.workflow.workflowId);
    recorded.push([ran[0].action.workflow.workflowId, 'reconcile']);
    const result = (await run.result()) as { procore: { pagesRead: number }; salesforce: { pagesRead: number } };
    expect(result.procore.pagesRead).toBeGreaterThanOrEqual(1);
    expect(result.salesforce.pagesRead).toBeGreaterThanOrEqual(2);
    // The counts are in the run's memo too, where the Temporal UI shows them.
    expect((await run.describe()).memo).toMatchObject({ full: false, procore: result.procore });
  });

  it('run a full sweep, with no cursor, from the daily schedule (triggered here)', async () => {
    const daily = system.temporal.schedule.getHandle(FULL_RECONCILE_SCHEDULE_ID);
    await daily.trigger();
    const [run] = await eventually(async () => {
      const recent = (await daily.describe()).info.recentActions;
      return recent.length > 0 ? recent : undefined;
    }, 'the full sweep started');
    const handle = system.temporal.workflow.getHandle(run.action.workflow.workflowId);
    const result = (await handle.result()) as { procore: { pagesRead: number }; salesforce: { pagesRead: number } };
    expect(result.procore.pagesRead).toBeGreaterThanOrEqual(1);
    expect(result.salesforce.pagesRead).toBeGreaterThanOrEqual(2);
    expect((await handle.describe()).memo).toMatchObject({ full: true });
  });

  it('are made sure of again, not duplicated, when the CDC worker restarts', async () => {
    await system.restart('cdc');
    const ids: string[] = [];
    for await (const schedule of system.temporal.schedule.list()) ids.push(schedule.scheduleId);
    expect(ids.sort()).toEqual([FULL_RECONCILE_SCHEDULE_ID, RECONCILE_SCHEDULE_ID].sort());
  });
});

describe('with every Procore webhook dropped', () => {
  let salesforceId: string;
  let procoreId: number;

  beforeAll(async () => {
    ({ salesforceId, procoreId } = await newLinkedProject('Lost Letter Depot'));
    await setFaults(system.procoreUrl, { dropWebhooks: 1 });
  });

  afterAll(async () => {
    await setFaults(system.procoreUrl, null);
  });

  it('brings a Procore edit whose webhook was dropped to Salesforce within a few intervals', async () => {
    const droppedBefore = (await procoreStats()).webhooks.dropped;
    await consoleUser.editProcoreProject(system, procoreId, { city: 'Olympia' });
    await eventually(async () => (await procoreStats()).webhooks.dropped > droppedBefore, 'the webhook dropped');
    await cityInSalesforce(salesforceId, 'Olympia');
  });

  it('gives a project created in Procore, its create webhook dropped, its Salesforce record within a few intervals', async () => {
    const droppedBefore = (await procoreStats()).webhooks.dropped;
    const born = await consoleUser.createProcoreProject(system, { name: 'Unannounced Yard', city: 'Nampa' });
    await eventually(async () => (await procoreStats()).webhooks.dropped > droppedBefore, 'the create webhook dropped');
    const { sf } = await adoptedPair(system, born.id, 4 * EVERY_MS + 30_000);
    expect(sf).toMatchObject({ Name: 'Unannounced Yard', City__c: 'Nampa', Procore_ID__c: String(born.id) });
    await eventually(async () => (await syncState(system, sf.Id)).status === 'synced', 'its ProjectSync synced');
  });

  it('does not loop and signals nothing once in sync: only the sweeps keep reading', async () => {
    await consoleUser.editSalesforceProject(system, salesforceId, { Description__c: 'swept, not echoed' });
    await eventually(
      async () => (await procoreProject(system, procoreId)).description === 'swept, not echoed',
      'the Salesforce edit in Procore',
    );
    // Past the minute the replication API re-covers, so the Salesforce edit has been swept and compared too.
    const settled = await settles(syncCalls, 'API calls other than the sweeps', 3 * EVERY_MS, 2 * SALESFORCE_MINUTE_MS);
    const found = await differences();
    const sweepsBefore = sweepCalls(await procoreStats());
    await eventually(
      async () => sweepCalls(await procoreStats()) >= sweepsBefore + 2,
      'two more sweeps',
      4 * EVERY_MS + 5000,
    );
    expect(await syncCalls()).toEqual(settled);
    expect(await differences()).toEqual(found);
    const state = await syncState(system, salesforceId);
    expect(state.status).toBe('synced');
    expect(state.pendingWrites).toEqual({ salesforce: [], procore: [] });
  });
});

describe('a hook Procore disabled after failed deliveries', () => {
  interface Delivery {
    outcome: string;
    response_error: string | null;
  }
  let salesforceId: string;
  let procoreId: number;
  let deliveries: () => Promise<Delivery[]>;
  let ingressStopped = false;

  beforeAll(async () => {
    ({ salesforceId, procoreId } = await newLinkedProject('Quiet Hook Yard'));
    const [hook] = await procoreGet<{ id: number }[]>(
      system,
      '/rest/v1.0/webhooks/hooks?company_id=4264807&namespace=tandem',
    );
    deliveries = () =>
      procoreGet<Delivery[]>(system, `/rest/v1.0/webhooks/hooks/${hook.id}/deliveries?company_id=4264807`);
  });

  // A failure here must not take the later tests' ingress (their operator API and webhooks) with it.
  afterAll(async () => {
    if (ingressStopped) await system.startPart('ingress');
  });

  it('loses no edit: the sweep brings what Procore discarded, and the restarted ingress turns the hook back on', async () => {
    await system.stopPart('ingress');
    ingressStopped = true;
    await consoleUser.editProcoreProject(system, procoreId, { city: 'Helena' });
    await eventually(async () => (await deliveries()).some((d) => d.outcome === 'failed'), 'the delivery given up');
    await consoleUser.editProcoreProject(system, procoreId, { description: 'sent to a disabled hook' });
    await eventually(
      async () => (await deliveries()).some((d) => d.response_error === 'hook disabled after repeated failures'),
      'an event discarded by the disabled hook',
    );
    await cityInSalesforce(salesforceId, 'Helena');
    await eventually(
      async () => (await salesforceProject(system, salesforceId)).Description__c === 'sent to a disabled hook',
      'the discarded edit in Salesforce',
      4 * EVERY_MS + 10_000,
    );

    await system.startPart('ingress');
    ingressStopped = false;
    const deliveredBefore = (await procoreStats()).webhooks.delivered;
    await consoleUser.editProcoreProject(system, procoreId, { city: 'Bozeman' });
    await eventually(
      async () => (await procoreStats()).webhooks.delivered > deliveredBefore,
      'a webhook delivered again',
    );
    await cityInSalesforce(salesforceId, 'Bozeman');
  });
});

describe('a Salesforce delete CDC never delivered', () => {
  it('reaches Procore through the replication API within a minute and a few intervals', async () => {
    const { salesforceId, procoreId } = await newLinkedProject('Forgotten Annex');
    await system.stopPart('cdc');
    await consoleUser.deleteSalesforceProject(system, salesforceId);
    // The delete's change event is lost without a gap: the stream resumes after it, as if it had been handed over
    // (an expired replayId would be a gap, which the CDC subscriber reconciles itself, deletes included).
    const { changeEvents } = await got(`${system.salesforceUrl}/sandbox/stats`).json<{
      changeEvents: { newestReplayId: number };
    }>();
    await system.temporal.workflow.getHandle(CHANGE_STREAM_WORKFLOW_ID).terminate('test: a lost change event');
    await system.temporal.workflow.start(salesforceChangeStream, {
      workflowId: CHANGE_STREAM_WORKFLOW_ID,
      taskQueue: TASK_QUEUES.sync,
      args: [{ startReplayId: -1, cursor: { replayId: changeEvents.newestReplayId, commitTimestamp: Date.now() } }],
    });
    await system.startPart('cdc');

    await eventually(
      async () => (await procoreProject(system, procoreId)).active === false,
      'the Procore project deactivated',
      SALESFORCE_MINUTE_MS + 4 * EVERY_MS + 20_000,
      500,
    );
    const state = await syncState(system, salesforceId);
    expect(state.status).toBe('deleted');
    expect(state.recentEventIds.some((id) => id.startsWith(`reconcile:sf:${salesforceId}:deleted:`))).toBe(true);
  });
});

/** Waits for the link's end, told in Salesforce and shown by the sync, neither parked nor linked to another project. */
async function linkEnded(salesforceId: string, procoreId: number) {
  const record = await eventually(async () => {
    const sf = await salesforceProject(system, salesforceId);
    return sf.Procore_Link_Status__c === 'Deleted in Procore' ? sf : undefined;
  }, 'the link end in Salesforce');
  expect(record.Procore_ID__c).toBe(String(procoreId));
  const ended = await eventually(async () => {
    const state = await syncState(system, salesforceId);
    return state.status === 'unlinked' ? state : undefined;
  }, 'status unlinked');
  expect(ended.parked).toBeNull();
  expect(ended.link.ended).toMatchObject({ reason: 'deleted-in-procore', toldSalesforce: true });
  return { record, ended };
}

describe('deletes on purpose', () => {
  const procoreReads = async () => (await procoreStats()).api['GET /rest/v1.0/projects/:id'] ?? 0;

  it('a Procore project deleted in Procore ends its link once: Salesforce says so, nothing parks or is recreated', async () => {
    const { salesforceId, procoreId } = await newLinkedProject('Demolished Works');
    recorded.push([projectSyncWorkflowId(salesforceId), 'project-sync.deleted-in-procore']);
    await got.delete(`${system.procoreUrl}/sandbox/ui/projects/${procoreId}`);
    await consoleUser.editSalesforceProject(system, salesforceId, { City__c: 'Reno' });
    const { ended } = await linkEnded(salesforceId, procoreId);

    // Once: a later edit costs no Procore call and creates no project.
    const readsBefore = await procoreReads();
    const remembered = ended.recentEventIds.length;
    await consoleUser.editSalesforceProject(system, salesforceId, { City__c: 'Sparks' });
    const after = await eventually(async () => {
      const state = await syncState(system, salesforceId);
      return state.recentEventIds.length > remembered && state.queued === 0 ? state : undefined;
    }, 'the later edit handled');
    expect(after.status).toBe('unlinked');
    expect(await procoreReads()).toBe(readsBefore);
    expect(await procoreProjectsByOrigin(system, salesforceId)).toEqual([]);
    // Operators find ended links by status, through the API as in the Temporal UI (search attribute SyncStatus).
    const listed = await eventually(async () => {
      const { projects } = await got(`${system.ingressUrl}/api/projects?status=unlinked`).json<{
        projects: Array<{ salesforceId: string; status: string }>;
      }>();
      return projects.find((p) => p.salesforceId === salesforceId);
    }, 'the ended link listed as unlinked');
    expect(listed.status).toBe('unlinked');
  });

  it('a record the integration user can no longer see parks, naming lost access, and leaves Procore alone', async () => {
    const { salesforceId, procoreId } = await newLinkedProject('Walled Garden');
    recorded.push([projectSyncWorkflowId(salesforceId), 'project-sync.not-visible']);
    await got.post(`${system.salesforceUrl}/sandbox/ui/Project__c/${salesforceId}/api-access`, {
      json: { visible: false },
    });
    const handle = system.temporal.workflow.getHandle(projectSyncWorkflowId(salesforceId));
    await handle.signal(resyncRequested, { reason: 'test: lost access' });
    const parked = await eventually(async () => {
      const state = await syncState(system, salesforceId);
      return state.parked ? state : undefined;
    }, 'the sync parked');
    expect(parked.parked).toMatchObject({ code: 'TANDEM_SALESFORCE_RECORD_NOT_VISIBLE', retryable: false });
    expect(parked.parked?.message).toMatch(/lost access/);
    expect(parked.deletedInSalesforce).toBe(false);
    expect((parked.parked?.nextRetryAt ?? 0) - (parked.parked?.at ?? 0)).toBe(RECHECK_MS);
    expect((await procoreProject(system, procoreId)).active).toBe(true);

    await got.post(`${system.salesforceUrl}/sandbox/ui/Project__c/${salesforceId}/api-access`, {
      json: { visible: true },
    });
    await handle.signal(resyncRequested, { reason: 'test: access back' });
    await eventually(async () => (await syncState(system, salesforceId)).status === 'synced', 'synced again');
  });

  it('a Procore project that vanished with no edit and no webhook is noticed by the full sweep, which ends its link once', async () => {
    // Only the full sweep may send the sync to Procore here: the interval's sweeps, which may hand a project linked a
    // moment ago over once more, are paused, and the sync has finished with its linking.
    const every = system.temporal.schedule.getHandle(RECONCILE_SCHEDULE_ID);
    await every.pause('test: only the full sweep may notice');
    try {
      await eventually(
        async () => ((await every.describe()).info.runningActions.length === 0 ? true : undefined),
        'no interval sweep running',
      );
      await vanishedQuarry();
    } finally {
      await every.unpause('test done');
    }
  });

  async function vanishedQuarry() {
    const { salesforceId, procoreId } = await newLinkedProject('Vanished Quarry');
    const handle = system.temporal.workflow.getHandle(projectSyncWorkflowId(salesforceId));
    await eventually(async () => {
      const { raw } = await handle.describe();
      const state = await syncState(system, salesforceId);
      const idle = !raw.pendingWorkflowTask && (raw.pendingActivities ?? []).length === 0 && state.queued === 0;
      return idle && (state.convergence?.inFlight ?? []).length === 0 ? true : undefined;
    }, 'the sync done with its linking');
    const resyncs = async () =>
      ((await handle.fetchHistory()).events ?? []).filter(
        (e) => e.workflowExecutionSignaledEventAttributes?.signalName === resyncRequested.name,
      ).length;
    // Procore announces no delete; any webhook is dropped too, and no edit follows: only a sweep can notice.
    await setFaults(system.procoreUrl, { dropWebhooks: 1 });
    try {
      await got.delete(`${system.procoreUrl}/sandbox/ui/projects/${procoreId}`);
    } finally {
      await setFaults(system.procoreUrl, null);
    }
    const [resyncsBefore, differencesBefore] = [await resyncs(), await differences()];

    const first = await fullSweep();
    expect('differences' in first.procore && first.procore.differences).toBeGreaterThanOrEqual(1);
    const { record } = await linkEnded(salesforceId, procoreId);
    expect(await resyncs()).toBe(resyncsBefore + 1);
    expect((await differences()).procore).toBeGreaterThan(differencesBefore.procore);

    // A second full sweep does nothing more for it: no signal, no write to its record.
    await fullSweep();
    expect(await resyncs()).toBe(resyncsBefore + 1);
    const after = await salesforceProject(system, salesforceId);
    expect(after.LastModifiedDate).toBe(record.LastModifiedDate);
    expect((await syncState(system, salesforceId)).status).toBe('unlinked');
  }
});

describe('a value the mapping cannot translate', () => {
  it('blocks only its field: the others keep syncing both ways, and the state says which field and why', async () => {
    const { salesforceId, procoreId } = await newLinkedProject('Odd Type Depot');
    recorded.push([projectSyncWorkflowId(salesforceId), 'project-sync.field-blocked']);
    // A project type the company added after the mapping was written.
    const added = await got
      .post(`${system.procoreUrl}/rest/v1.0/companies/4264807/project_types`, {
        headers: { authorization: `Bearer ${await procoreToken(system)}`, 'procore-company-id': '4264807' },
        json: { project_type: { name: 'Data Center' } },
      })
      .json<{ id: number }>();
    await consoleUser.editProcoreProject(system, procoreId, { project_type_id: added.id, city: 'Tacoma' });
    await cityInSalesforce(salesforceId, 'Tacoma');
    const state = await eventually(async () => {
      const current = await syncState(system, salesforceId);
      return current.convergence?.blocked?.projectType ? current : undefined;
    }, 'projectType blocked');
    expect(state.convergence?.blocked?.projectType).toMatchObject({ side: 'procore' });
    expect(state.convergence?.blocked?.projectType.reason).toMatch(/projectTypes.*procore.*projectType/);
    expect(state.status).toBe('synced');
    expect(state.parked).toBeNull();

    await consoleUser.editSalesforceProject(system, salesforceId, { Description__c: 'still flowing' });
    const project = await eventually(async () => {
      const current = await procoreProject(system, procoreId);
      return current.description === 'still flowing' ? current : undefined;
    }, 'the Salesforce edit in Procore');
    expect((project.project_type as { id: number } | null)?.id).toBe(added.id);

    await consoleUser.editProcoreProject(system, procoreId, { project_type_id: 562949953421401 });
    await eventually(
      async () => (await salesforceProject(system, salesforceId)).Project_Type__c === 'Commercial',
      'a translatable type in Salesforce',
    );
    expect((await syncState(system, salesforceId)).convergence?.blocked).toBeUndefined();
  });
});

describe('metrics', () => {
  it('count sweeps, pages read, records read and differences found, per system', async () => {
    const text = await got(metricsUrl).text();
    for (const side of ['procore', 'salesforce'] as const) {
      expect(metric(text, 'tandem_reconcile_sweeps_total', side)).toBeGreaterThan(2);
      expect(metric(text, 'tandem_reconcile_pages_read_total', side)).toBeGreaterThan(2);
      expect(metric(text, 'tandem_reconcile_projects_read_total', side)).toBeGreaterThanOrEqual(1);
      expect(metric(text, 'tandem_reconcile_differences_total', side)).toBeGreaterThanOrEqual(1);
    }
  });
});
