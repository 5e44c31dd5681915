/**
 * ProjectSync against a real Temporal server and both sandboxes, with the real activities, talking to the
 * workflow only through signals, updates and queries. The bundle is built once for the file.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Connection as SalesforceConnection } from 'jsforce';
import { createProcoreActivities } from '../../activities/procore/project-activities';
import { createProcoreBackfillActivities } from '../../activities/procore/backfill';
import { createSalesforceActivities } from '../../activities/salesforce/project-activities';
import { salesforceFieldNames } from '../../mappings/project-mapping';
import { projectMapping } from '../../mappings';
import { startProcoreSandbox, type ProcoreSandbox } from '../../sandbox/procore';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../sandbox/salesforce';
import { procoreClient, salesforceSession } from '../../workers/systems';
import { workflowBundlePath } from '../../workers/temporal/workflow-bundle';
import { testDeployment, type TestDeployment } from '../support/test-deployment';
import { fixedMappingSource, mappingActivities } from '../../workers/mapping-source';
import { syncSinks } from '../../workers/sync-sinks';
import { loadConfig } from '../../common/config';
import {
  procoreChanged,
  type ProcoreChange,
  projectSyncWorkflowId,
  type ProjectSyncSettings,
  type ProjectSyncView,
  resyncNow,
  salesforceChanged,
  syncStateQuery,
  type SalesforceChange,
} from '../../workflows/project-sync/messages';
import { projectSync } from '../../workflows/project-sync/project-sync';
import { procoreRouterWorkflowId } from '../../workflows/procore-router/procore-router';
import { TASK_QUEUES } from '../../workflows/task-queues';
import { eventually } from '../support/eventually';
import { ProcoreLinks } from '../../ingress/procore-links';
import { handProcoreChange } from '../../ingress/temporal-handoff';
import { toSalesforceId18 } from '../../common/salesforce-id';
import { TEST_NAMESPACES, temporalAddress } from '../support/temporal';
import { SANDBOX_DEFAULT_CREDENTIALS } from '../../common/config';
import { syncViews } from '../../workers/sync-views';
import { SYNC_BUSY } from '../../activities/sweeps/types';
import { sweepViewOf } from '../../workflows/project-sync/sweep-view';

jest.setTimeout(90_000);

const namespace = TEST_NAMESPACES.workflows;
let salesforceSandbox: SalesforceSandbox;
let procoreSandbox: ProcoreSandbox;
let nativeConnection: NativeConnection;
let workers: Worker[];
let running: Promise<unknown>;
let client: Client;
let deployment: TestDeployment;
let salesforce: SalesforceConnection;

beforeAll(async () => {
  [salesforceSandbox, procoreSandbox] = await Promise.all([
    startSalesforceSandbox({ port: 0, logger: false }),
    startProcoreSandbox({ port: 0, logger: false }),
  ]);
  const config = loadConfig({
    SALESFORCE_LOGIN_URL: salesforceSandbox.url,
    PROCORE_LOGIN_URL: procoreSandbox.url,
    PROCORE_API_URL: procoreSandbox.url,
  });
  nativeConnection = await NativeConnection.connect({ address: temporalAddress() });
  const codePath = await workflowBundlePath();
  deployment = testDeployment('workflows', codePath);
  const workerDeploymentOptions = deployment.workerOptions;
  workers = await Promise.all([
    Worker.create({
      connection: nativeConnection,
      namespace,
      taskQueue: TASK_QUEUES.sync,
      workflowBundle: { codePath },
      workerDeploymentOptions,
      sinks: syncSinks,
      activities: mappingActivities(fixedMappingSource(projectMapping)),
    }),
    Worker.create({
      connection: nativeConnection,
      namespace,
      taskQueue: TASK_QUEUES.salesforceApi,
      workerDeploymentOptions,
      activities: createSalesforceActivities(salesforceSession(config), salesforceFieldNames(projectMapping)),
    }),
    Worker.create({
      connection: nativeConnection,
      namespace,
      taskQueue: TASK_QUEUES.procoreApi,
      workerDeploymentOptions,
      // As the sync worker serves them: the link write (origin_id) is one of the backfill's.
      activities: {
        ...createProcoreActivities(procoreClient(config)),
        ...createProcoreBackfillActivities(procoreClient(config), () => projectMapping),
      },
    }),
  ]);
  running = Promise.all(workers.map((w) => w.run()));
  client = new Client({ connection: await Connection.connect({ address: temporalAddress() }), namespace });
  await deployment.makeCurrent(client);
  salesforce = new SalesforceConnection({
    oauth2: {
      loginUrl: salesforceSandbox.url,
      ...SANDBOX_DEFAULT_CREDENTIALS.salesforce,
    },
    version: '60.0',
    callOptions: { client: 'workflow-test' },
  });
  await salesforce.authorize({ grant_type: 'client_credentials' });
});

afterAll(async () => {
  workers?.forEach((w) => w.shutdown());
  await running;
  await nativeConnection?.close();
  await client?.connection.close();
  await Promise.all([salesforceSandbox?.close(), procoreSandbox?.close()]);
});

async function createSalesforceProject(fields: Record<string, unknown>): Promise<string> {
  const result = await salesforce.sobject('Project__c').create(fields);
  if (!result.success) throw new Error(JSON.stringify(result));
  return result.id;
}

function startProjectSync(salesforceId: string, coalesceWindowMs: number, more: Partial<ProjectSyncSettings> = {}) {
  return client.workflow.start(projectSync, {
    workflowId: projectSyncWorkflowId(salesforceId),
    taskQueue: TASK_QUEUES.sync,
    args: [{ salesforceId, settings: { coalesceWindowMs, ...more } }],
  });
}

function updateEvent(i: number, fields: Record<string, unknown>): SalesforceChange {
  return { eventId: `test-tx-${i}:1`, changeType: 'UPDATE', commitTimestamp: Date.now(), madeByTandem: false, fields };
}

describe('ProjectSync', () => {
  it('answers resyncNow with the state after reading both sides, creating the Procore project when missing', async () => {
    const salesforceId = await createSalesforceProject({ Name: 'Update Handler Hall', City__c: 'Denver' });
    const handle = await startProjectSync(salesforceId, 0);
    const state = await handle.executeUpdate(resyncNow, { args: [{ reason: 'test' }] });
    expect(state.status).toBe('synced');
    expect(state.link.procoreProjectId).toMatch(/^\d+$/);
    expect(state.snapshot).toMatchObject({ name: 'Update Handler Hall', city: 'Denver' });
    const record = await salesforce.sobject('Project__c').retrieve(salesforceId);
    expect(record.Procore_ID__c).toBe(state.link.procoreProjectId);
  });

  it('asks the sync worker for its mapping with an ordinary activity, whose answer is in its history', async () => {
    const salesforceId = await createSalesforceProject({ Name: 'Mapping Mews' });
    const handle = await startProjectSync(salesforceId, 0);
    await handle.executeUpdate(resyncNow, { args: [{ reason: 'link' }] });
    const events = (await handle.fetchHistory()).events ?? [];
    // A local activity's answer could land in history a workflow task before the commands after it, and a replay
    // then resolved it early: the answer of an ordinary activity always comes with a workflow task of its own.
    expect(events.some((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toBe(false);
    const [asked] = mappingRequests(events);
    expect(asked?.activityTaskScheduledEventAttributes?.taskQueue?.name).toBe(TASK_QUEUES.sync);
    // Before anything else the run does: no batch runs on a mapping it has not been given.
    expect(events.find((e) => e.activityTaskScheduledEventAttributes)).toBe(asked);
    const answered = events.find(
      (e) => String(e.activityTaskCompletedEventAttributes?.scheduledEventId) === String(asked!.eventId),
    );
    const [payload] = answered?.activityTaskCompletedEventAttributes?.result?.payloads ?? [];
    expect(JSON.parse(Buffer.from(payload!.data!).toString())).toMatchObject({
      version: expect.any(String),
      mapping: { fields: projectMapping.fields, lookups: projectMapping.lookups },
    });
  });

  it('continues as new once its history holds continueAsNewAfterEvents events, before Temporal suggests it', async () => {
    const salesforceId = await createSalesforceProject({ Name: 'Short History Depot' });
    const handle = await startProjectSync(salesforceId, 0, { continueAsNewAfterEvents: 60 });
    const firstRunId = (await handle.describe()).runId;
    await handle.executeUpdate(resyncNow, { args: [{ reason: 'link' }] });
    for (let i = 1; i <= 6; i++) {
      await salesforce.sobject('Project__c').update({ Id: salesforceId, Description__c: `short ${i}` });
      await handle.signal(salesforceChanged, updateEvent(500 + i, { Description__c: `short ${i}` }));
    }
    const latest = client.workflow.getHandle(projectSyncWorkflowId(salesforceId));
    await eventually(async () => {
      const s = await latest.query(syncStateQuery);
      return s.snapshot.description === 'short 6' && s.queued === 0 ? s : undefined;
    }, 'every change applied');
    const first = client.workflow.getHandle(projectSyncWorkflowId(salesforceId), firstRunId);
    const firstRun = await eventually(async () => {
      const d = await first.describe();
      return d.status.name === 'CONTINUED_AS_NEW' ? d : undefined;
    }, 'the first run continued as new');
    // The test server suggests continue-as-new at 120 events: this run went on well before.
    expect(firstRun.historyLength).toBeGreaterThanOrEqual(60);
    expect(firstRun.historyLength).toBeLessThan(120);
    const history = await first.fetchHistory();
    // A run that continued by the bound, for the replay test (recorded with TANDEM_RECORD_HISTORIES=1).
    if (process.env.TANDEM_RECORD_HISTORIES)
      writeFileSync(
        path.join(__dirname, '..', 'replay', 'histories', 'project-sync.continued-by-bound.json'),
        historyToJSON(history),
      );
    // The first run asked the worker for its mapping; the runs after it carry it over and ask no more.
    expect(mappingRequests(history.events ?? [])).toHaveLength(1);
    expect(mappingRequests((await latest.fetchHistory()).events ?? [])).toEqual([]);
  });

  it('continues as new with its state and queue when Temporal suggests it, losing no change', async () => {
    const salesforceId = await createSalesforceProject({ Name: 'Long History Works' });
    const handle = await startProjectSync(salesforceId, 0);
    const first = await handle.executeUpdate(resyncNow, { args: [{ reason: 'link' }] });
    const firstRunId = (await handle.describe()).runId;
    // The test server suggests continue-as-new after 120 history events; 150 signals go well past that.
    for (let i = 1; i <= 150; i++) {
      await salesforce.sobject('Project__c').update({ Id: salesforceId, Description__c: `revision ${i}` });
      await handle.signal(salesforceChanged, updateEvent(i, { Description__c: `revision ${i}` }));
    }
    const latest = client.workflow.getHandle(projectSyncWorkflowId(salesforceId));
    const state = await eventually(
      async () => {
        const s = await latest.query(syncStateQuery);
        return s.queued === 0 && s.snapshot.description === 'revision 150' && s.pendingWrites.procore.length === 0
          ? s
          : undefined;
      },
      'all 150 changes applied',
      60_000,
    );
    expect((await latest.describe()).runId).not.toBe(firstRunId);
    expect(state.link).toEqual(first.link);
    expect(state.recentEventIds).toContain('test-tx-150:1');
    const project = await eventually(async () => {
      const p = await procoreProject(state.link.procoreProjectId!);
      return p.description === 'revision 150' ? p : undefined;
    }, 'the last revision in Procore');
    expect(project.origin_id).toBe(salesforceId);
  });
});

describe('ProjectSync parking', () => {
  it('parks on a value Salesforce rejects, and on the next change catches up with everything, earlier events included', async () => {
    const salesforceId = await createSalesforceProject({ Name: 'Spaceport Annex' });
    // A window long enough that both events below, sent right after a batch, are applied in one batch.
    const handle = await startProjectSync(salesforceId, 1500);
    const linked = await handle.executeUpdate(resyncNow, { args: [{ reason: 'link' }] });
    const procoreProjectId = linked.link.procoreProjectId!;
    // City__c holds 40 characters in Salesforce; Procore takes more, so this value cannot be written back.
    await updateProcoreProject(procoreProjectId, { city: 'A city name far longer than forty characters' });
    await salesforce.sobject('Project__c').update({ Id: salesforceId, Description__c: 'kept despite the bad value' });
    await handle.signal(procoreChanged, procoreEvent(2001, procoreProjectId));
    await handle.signal(salesforceChanged, updateEvent(2002, { Description__c: 'kept despite the bad value' }));
    const parked = await eventually(async () => {
      const s = await handle.query(syncStateQuery);
      return s.status === 'error' ? s : undefined;
    }, 'the sync parked');
    expect(parked.parked).toMatchObject({
      code: 'TANDEM_SALESFORCE_REJECTED',
      message: expect.stringContaining('STRING_TOO_LONG'),
      field: 'City__c',
      retryable: false,
    });
    // A rejected value waits for a change; the periodic re-check is far off by default (an hour).
    expect(parked.parked!.nextRetryAt! - parked.parked!.at).toBe(60 * 60_000);

    await updateProcoreProject(procoreProjectId, { city: 'Houston' });
    await handle.signal(procoreChanged, procoreEvent(2003, procoreProjectId));
    const state = await eventually(async () => {
      const s = await handle.query(syncStateQuery);
      return s.status === 'synced' ? s : undefined;
    }, 'the sync recovered');
    expect(state.snapshot).toMatchObject({ city: 'Houston', description: 'kept despite the bad value' });
    expect(await procoreProject(procoreProjectId)).toMatchObject({
      city: 'Houston',
      description: 'kept despite the bad value',
    });
    expect(await salesforce.sobject('Project__c').retrieve(salesforceId)).toMatchObject({ City__c: 'Houston' });
  });
});

describe('ProjectSync handlers', () => {
  it('drop malformed signals without getting stuck, and reject a malformed resync update', async () => {
    const salesforceId = await createSalesforceProject({ Name: 'Malformed Mail Room' });
    const handle = await startProjectSync(salesforceId, 0);
    await handle.signal(salesforceChanged, { eventId: 42 } as unknown as SalesforceChange);
    await expect(
      handle.executeUpdate(resyncNow, { args: [{ because: 'no reason' } as unknown as { reason: string }] }),
    ).rejects.toMatchObject({
      cause: expect.objectContaining({ message: expect.stringMatching(/resyncNow takes/) }),
    });
    const state = await handle.executeUpdate(resyncNow, { args: [{ reason: 'after the bad ones' }] });
    expect(state.status).toBe('synced');
    expect(state.stats.eventsApplied).toBeGreaterThan(0);
  });
});

describe('linking', () => {
  it('adopts the Procore project a record already names in Procore_ID__c instead of creating a second one, and writes its origin_id', async () => {
    const existing = await createProcoreProject({ name: 'Migrated Mill' });
    const salesforceId = await createSalesforceProject({
      Name: 'Migrated Mill',
      City__c: 'Tulsa',
      Procore_ID__c: existing,
    });
    const state = await (
      await startProjectSync(salesforceId, 0)
    ).executeUpdate(resyncNow, { args: [{ reason: 'link' }] });
    expect(state.link.procoreProjectId).toBe(existing);
    expect(await procoreProject(existing)).toMatchObject({ city: 'Tulsa', origin_id: salesforceId });
    expect(await procoreProjectsWithOrigin(salesforceId)).toHaveLength(1);
  });
});

describe('ProcoreProjectRouter', () => {
  it('survives a malformed signal, and hands an edit to a record whose ProjectSync is not running by starting it', async () => {
    const salesforceId = await createSalesforceProject({ Name: 'Router Depot', City__c: 'Austin' });
    const handle = await startProjectSync(salesforceId, 0);
    const procoreProjectId = (await handle.executeUpdate(resyncNow, { args: [{ reason: 'link' }] })).link
      .procoreProjectId!;
    const terminatedRun = (await handle.describe()).runId;
    await handle.terminate('moved to another namespace');
    const router = client.workflow.getHandle(procoreRouterWorkflowId(procoreProjectId));
    await router.signal(procoreChanged, null as unknown as ProcoreChange);
    await updateProcoreProject(procoreProjectId, { city: 'El Paso' });
    await router.signal(procoreChanged, procoreEvent(3001, procoreProjectId));
    // A new run holds the event. Its state starts empty, so it merges the pair as a newly linked one.
    const restarted = client.workflow.getHandle(projectSyncWorkflowId(salesforceId));
    const state = await eventually(async () => {
      if ((await restarted.describe()).runId === terminatedRun) return undefined;
      const s = await restarted.query(syncStateQuery);
      return s.status === 'synced' && s.recentEventIds.includes('test-ulid-3001') ? s : undefined;
    }, 'a new ProjectSync run that applied the event');
    expect(state.link).toMatchObject({ salesforceId, procoreProjectId });
    const record = await salesforce.sobject('Project__c').retrieve(salesforceId);
    expect(record.City__c).toBe((await procoreProject(procoreProjectId)).city);
    expect((await router.describe()).status.name).toBe('RUNNING');
  });
});

describe('fewer hops', () => {
  it("lets the ingress find a project's link in Temporal visibility and hand a Procore change straight to the ProjectSync", async () => {
    const salesforceId = await createSalesforceProject({ Name: 'Shortcut Yard', City__c: 'Reno' });
    const handle = await startProjectSync(salesforceId, 0);
    const procoreProjectId = (await handle.executeUpdate(resyncNow, { args: [{ reason: 'link' }] })).link
      .procoreProjectId!;
    // Visibility is written after the workflow task that links: a lookup finds it once it is there.
    const found = await eventually(
      async () => new ProcoreLinks(client).find(procoreProjectId),
      'the link in visibility',
    );
    expect(found).toBe(toSalesforceId18(salesforceId));
    // An ingress that starts later loads every link at once.
    const links = new ProcoreLinks(client);
    expect(await links.loadAll()).toBeGreaterThanOrEqual(1);
    expect(links.salesforceIdOf(procoreProjectId)).toBe(toSalesforceId18(salesforceId));
    await updateProcoreProject(procoreProjectId, { city: 'Sparks' });
    await handProcoreChange({ client, procoreLinks: links }, procoreEvent(4001, procoreProjectId));
    await eventually(async () => {
      const record = await salesforce.sobject('Project__c').retrieve(salesforceId);
      return record.City__c === 'Sparks' ? true : undefined;
    }, 'the Procore edit in Salesforce');
    const routerEvents = (await client.workflow.getHandle(procoreRouterWorkflowId(procoreProjectId)).fetchHistory())
      .events;
    const signalled = JSON.stringify(routerEvents?.filter((e) => e.workflowExecutionSignaledEventAttributes));
    expect(signalled).not.toContain('test-ulid-4001');
  });

  it("finds no link for a project no ProjectSync links, nor for an id that is not Procore's", async () => {
    const failures: unknown[] = [];
    const links = new ProcoreLinks(client, (_, err) => failures.push(err));
    expect(await links.find('999999999999')).toBeUndefined();
    expect(await links.find("1' OR WorkflowType != '")).toBeUndefined();
    expect(links.salesforceIdOf('999999999999')).toBeUndefined();
    // Asked and answered "none", not failed on the way.
    expect(failures).toEqual([]);
  });

  it('takes a batch of its own echoes at once, without waiting out the coalescing window', async () => {
    const salesforceId = await createSalesforceProject({ Name: 'Echo Works', City__c: 'Boise' });
    const handle = await startProjectSync(salesforceId, 120_000);
    const procoreProjectId = (await handle.executeUpdate(resyncNow, { args: [{ reason: 'link' }] })).link
      .procoreProjectId!;
    // Right after a batch: anything but an echo would wait out the two-minute window.
    await handle.signal(procoreChanged, { ...procoreEvent(5001, procoreProjectId), madeByTandem: true });
    await eventually(async () => {
      const state = await handle.query(syncStateQuery);
      return state.recentEventIds.includes('test-ulid-5001') ? true : undefined;
    }, 'the echo taken');
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((e) => e.timerStartedEventAttributes)).toEqual([]);
  });
});

describe('the coalescing window', () => {
  it('is waited by a batch only for changes signalled while the batch before it ran, never by the clock', async () => {
    const windowMs = 3000;
    const salesforceId = await createSalesforceProject({ Name: 'Burst Barn', City__c: 'Ogden' });
    const handle = await startProjectSync(salesforceId, windowMs);
    await handle.executeUpdate(resyncNow, { args: [{ reason: 'link' }] });
    // Slow Procore calls keep the next batch at work long enough for a change to come in while it runs.
    await procoreFaults('POST', { latencyMs: 1500 });
    try {
      // Right after a batch: a change to an idle project is taken at once, however little of the window has passed.
      await salesforce.sobject('Project__c').update({ Id: salesforceId, Description__c: 'first' });
      await handle.signal(salesforceChanged, updateEvent(6001, { Description__c: 'first' }));
      await eventually(async () => {
        const pending = (await handle.describe()).raw.pendingActivities ?? [];
        return pending.some((a) => /Procore/.test(a.activityType?.name ?? '')) ? true : undefined;
      }, 'the batch writing to Procore');
      await salesforce.sobject('Project__c').update({ Id: salesforceId, Description__c: 'second' });
      await handle.signal(salesforceChanged, updateEvent(6002, { Description__c: 'second' }));
      // The sync's own state says too little here: between taking the batch and its read it has nothing pending yet.
      const procoreProjectId = (await handle.query(syncStateQuery)).link.procoreProjectId!;
      await eventually(
        async () => ((await procoreProject(procoreProjectId)).description === 'second' ? true : undefined),
        'the second change in Procore',
        30_000,
        500,
      );
    } finally {
      await procoreFaults('DELETE');
    }
    const events = (await handle.fetchHistory()).events ?? [];
    const at = (e: (typeof events)[number]) => Number(String(e.eventId));
    const signalled = (eventId: string) =>
      events.find((e) =>
        e.workflowExecutionSignaledEventAttributes?.input?.payloads?.some((p) =>
          Buffer.from(p.data ?? [])
            .toString()
            .includes(eventId),
        ),
      )!;
    const [first, second] = [signalled('test-tx-6001:1'), signalled('test-tx-6002:1')];
    const timers = events.filter((e) => e.timerStartedEventAttributes);
    // One wait, of the whole window, after the change that came while a batch ran; none for the first change.
    expect(timers).toHaveLength(1);
    expect(String(timers[0]!.timerStartedEventAttributes!.startToFireTimeout!.seconds)).toBe(String(windowMs / 1000));
    expect(at(timers[0]!)).toBeGreaterThan(at(second));
    const firstBatch = events.find((e) => at(e) > at(first) && e.activityTaskScheduledEventAttributes)!;
    expect(at(firstBatch)).toBeLessThan(at(timers[0]!));
    // The second change did come while an activity of the first one's batch was in flight.
    const closedAfterSecond = (scheduled: (typeof events)[number]) =>
      events.some(
        (e) =>
          at(e) > at(second) &&
          String(
            e.activityTaskCompletedEventAttributes?.scheduledEventId ??
              e.activityTaskFailedEventAttributes?.scheduledEventId,
          ) === String(scheduled.eventId),
      );
    expect(
      events.some(
        (e) =>
          e.activityTaskScheduledEventAttributes && at(e) > at(first) && at(e) < at(second) && closedAfterSecond(e),
      ),
    ).toBe(true);
  });
});

describe("the sweeps' view of a sync", () => {
  it('is read from the memo, without the worker, and equals what the sync would answer a query', async () => {
    const views = syncViews(client);
    const salesforceId = await createSalesforceProject({ Name: 'View Hall', City__c: 'Provo' });
    // The sync runs on a queue of its own, whose worker stops once the sync is linked.
    const taskQueue = 'sweep-view-test';
    const own = await Worker.create({
      connection: nativeConnection,
      namespace,
      taskQueue,
      workflowBundle: { codePath: await workflowBundlePath() },
      workerDeploymentOptions: deployment.workerOptions,
      sinks: syncSinks,
      activities: mappingActivities(fixedMappingSource(projectMapping)),
    });
    const ownRunning = own.run();
    const handle = await client.workflow.start(projectSync, {
      workflowId: projectSyncWorkflowId(salesforceId),
      taskQueue,
      args: [{ salesforceId, settings: { coalesceWindowMs: 0 } }],
    });
    try {
      const linked = await handle.executeUpdate(resyncNow, { args: [{ reason: 'link' }] });
      const answered = sweepViewOf(await handle.query(syncStateQuery));
      expect(answered).toMatchObject({
        procoreProjectId: linked.link.procoreProjectId,
        linkEnded: false,
        deletedInSalesforce: false,
        procoreValues: expect.objectContaining({ name: 'View Hall' }),
      });
      expect(answered.seenAt.salesforce).toBeGreaterThan(0);
      expect(answered.seenAt.procore).toBeGreaterThan(0);
      expect(await views.view(salesforceId)).toEqual(answered);
      // Visibility lists it too, among many ids asked at once (two lists of a hundred), once it has caught up.
      const others = Array.from({ length: 149 }, (_, i) => `a0X8d${String(i).padStart(10, '0')}ZZZ`);
      const listed = await eventually(async () => {
        const found = await views.views([...others, salesforceId]);
        return JSON.stringify(found.get(salesforceId)) === JSON.stringify(answered) ? found : undefined;
      }, 'visibility listing the view');
      expect([...listed.keys()]).toEqual([salesforceId]);

      own.shutdown();
      await ownRunning;
      // A change the sync cannot take now (no worker): a workflow task waits, and the view still comes, from the memo.
      await handle.signal(salesforceChanged, updateEvent(4101, { City__c: 'Orem' }));
      await eventually(
        async () => ((await handle.describe()).raw.pendingWorkflowTask ? true : undefined),
        'a task pending',
      );
      expect(await views.view(salesforceId)).toEqual(answered);
    } finally {
      await handle.terminate('test done');
    }
  });

  it('does not ask a sync at work that keeps no view, and finds none where no sync runs', async () => {
    const views = syncViews(client);
    // No worker polls this queue, so the sync's first workflow task stays pending: a sync at work, no memo yet.
    const atWorkId = await createSalesforceProject({ Name: 'Busy Works' });
    const atWork = await client.workflow.start(projectSync, {
      workflowId: projectSyncWorkflowId(atWorkId),
      taskQueue: 'no-worker-polls-this-queue',
      args: [{ salesforceId: atWorkId }],
    });
    expect(await views.view(atWorkId)).toBe(SYNC_BUSY);
    await atWork.terminate('test done');
    expect(await views.view(atWorkId)).toBeNull();
    expect(await views.view(await createSalesforceProject({ Name: 'Never Synced' }))).toBeNull();
  });
});

describe('ProjectSync healing', () => {
  it('retries a sync parked by a Procore outage with growing back-off, shown in its state, and heals with no new event', async () => {
    const salesforceId = await createSalesforceProject({ Name: 'Outage Observatory' });
    const handle = await startProjectSync(salesforceId, 0, { retryFirstDelayMs: 2000, retryMaxDelayMs: 4000 });
    const linked = await handle.executeUpdate(resyncNow, { args: [{ reason: 'link' }] });
    const procoreProjectId = linked.link.procoreProjectId!;
    // Every Procore call answers 500 or 503 until cleared: longer than the activity's whole retry budget.
    await procoreFaults('POST', { errorRate: 1 });
    const delays: number[] = [];
    try {
      await salesforce.sobject('Project__c').update({ Id: salesforceId, Description__c: 'written during the outage' });
      await handle.signal(salesforceChanged, updateEvent(3001, { Description__c: 'written during the outage' }));
      for (const retries of [0, 1, 2]) {
        const { parked } = await parkedAfterRetries(handle, retries);
        expect(parked).toMatchObject({ code: 'TANDEM_PROCORE_UNAVAILABLE', retryable: true, retries });
        delays.push(parked!.nextRetryAt! - parked!.at);
      }
    } finally {
      await procoreFaults('DELETE');
    }
    // Doubling from the first delay, then held at the cap.
    expect(delays).toEqual([2000, 4000, 4000]);

    const healed = await eventually(
      async () => {
        const s = await handle.query(syncStateQuery);
        return s.status === 'synced' && s.pendingWrites.procore.length === 0 ? s : undefined;
      },
      'the parked sync healed by itself',
      60_000,
    );
    expect(healed.parked).toBeNull();
    expect(healed.stats.eventsApplied).toBeGreaterThan(0);
    expect(await procoreProject(procoreProjectId)).toMatchObject({ description: 'written during the outage' });
    // Each retry waited on a timer, which the Temporal UI shows in the workflow's history.
    // (The test server suggests continue-as-new early, so the history may span several runs.)
    const events = await historyOfEveryRun(projectSyncWorkflowId(salesforceId), handle.firstExecutionRunId);
    const timers = events.filter((e) => e.timerStartedEventAttributes);
    expect(timers.length).toBeGreaterThanOrEqual(3);
  }, 180_000);

  it('re-checks a sync parked on a rejected value periodically, healing once the value is fixed with no event', async () => {
    const salesforceId = await createSalesforceProject({ Name: 'Recheck Rotunda' });
    const handle = await startProjectSync(salesforceId, 0, { recheckRejectedMs: 3000 });
    const linked = await handle.executeUpdate(resyncNow, { args: [{ reason: 'link' }] });
    const procoreProjectId = linked.link.procoreProjectId!;
    await updateProcoreProject(procoreProjectId, { city: 'A city name far longer than forty characters' });
    await handle.signal(procoreChanged, procoreEvent(3101, procoreProjectId));
    const { parked } = await parkedAfterRetries(handle, 0);
    expect(parked).toMatchObject({ code: 'TANDEM_SALESFORCE_REJECTED', field: 'City__c', retryable: false });
    expect(parked!.nextRetryAt! - parked!.at).toBe(3000);

    // Fixed in Procore with no webhook reaching Tandem: only the re-check can notice.
    await updateProcoreProject(procoreProjectId, { city: 'Tulsa' });
    const healed = await eventually(async () => {
      const s = await handle.query(syncStateQuery);
      return s.status === 'synced' ? s : undefined;
    }, 'the re-check found the fixed value');
    expect(healed.snapshot).toMatchObject({ city: 'Tulsa' });
    expect(await salesforce.sobject('Project__c').retrieve(salesforceId)).toMatchObject({ City__c: 'Tulsa' });
  });
});

async function parkedAfterRetries(
  handle: { query: (q: typeof syncStateQuery) => Promise<ProjectSyncView> },
  retries: number,
): Promise<ProjectSyncView> {
  return eventually(
    async () => {
      const s = await handle.query(syncStateQuery);
      return s.status === 'error' && s.parked?.retries === retries ? s : undefined;
    },
    `the sync parked after ${retries} retries`,
    60_000,
  );
}

/** The `currentMapping` activities a run scheduled: how a ProjectSync asks the sync worker for its mapping. */
function mappingRequests<
  E extends { activityTaskScheduledEventAttributes?: { activityType?: { name?: string | null } | null } | null },
>(events: E[]): E[] {
  return events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'currentMapping');
}

/** The events of a workflow's runs, following continue-as-new from the first run. */
async function historyOfEveryRun(workflowId: string, firstRunId: string) {
  const events = [];
  for (let runId: string | undefined = firstRunId; runId;) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    events.push(...(history.events ?? []));
    runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return events;
}

async function procoreFaults(method: 'POST' | 'DELETE', faults?: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${procoreSandbox.url}/sandbox/faults`, {
    method,
    ...(faults ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) } : {}),
  });
  if (!response.ok) throw new Error(`Procore faults ${method} answered ${response.status}`);
}

async function procoreToken(): Promise<string> {
  const token = await fetch(`${procoreSandbox.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: SANDBOX_DEFAULT_CREDENTIALS.procore.clientId,
      client_secret: SANDBOX_DEFAULT_CREDENTIALS.procore.clientSecret,
    }),
  }).then((r) => r.json() as Promise<{ access_token: string }>);
  return token.access_token;
}

async function procoreProject(id: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${procoreSandbox.url}/rest/v1.0/projects/${id}?company_id=4264807`, {
    headers: { authorization: `Bearer ${await procoreToken()}`, 'procore-company-id': '4264807' },
  });
  return response.json() as Promise<Record<string, unknown>>;
}

async function createProcoreProject(project: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${procoreSandbox.url}/rest/v1.0/projects`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await procoreToken()}`,
      'procore-company-id': '4264807',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ company_id: 4264807, project }),
  });
  if (!response.ok) throw new Error(`Procore POST answered ${response.status}: ${await response.text()}`);
  return String(((await response.json()) as { id: number | string }).id);
}

async function procoreProjectsWithOrigin(originId: string): Promise<unknown[]> {
  const url = `${procoreSandbox.url}/rest/v1.0/projects?company_id=4264807&filters[origin_id]=${originId}&filters[by_status]=All`;
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${await procoreToken()}`, 'procore-company-id': '4264807' },
  });
  return (await response.json()) as unknown[];
}

/** A person's edit in Procore (another client than Tandem's). */
async function updateProcoreProject(id: string, project: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${procoreSandbox.url}/rest/v1.0/projects/${id}`, {
    method: 'PATCH',
    headers: {
      authorization: `Bearer ${await procoreToken()}`,
      'procore-company-id': '4264807',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ company_id: 4264807, project }),
  });
  if (!response.ok) throw new Error(`Procore PATCH answered ${response.status}: ${await response.text()}`);
}

function procoreEvent(i: number, procoreProjectId: string): ProcoreChange {
  return {
    eventId: `test-ulid-${i}`,
    eventType: 'update',
    procoreProjectId,
    timestamp: new Date().toISOString(),
    madeByTandem: false,
  };
}
