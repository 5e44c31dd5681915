/**
 * End to end: a real Temporal server, both sandboxes, the sync worker, the CDC worker and the ingress, each its own
 * process. Everything is driven through the systems' own APIs and the consoles' user endpoints.
 */
import { execFile } from 'node:child_process';
import got from 'got';
import { promisify } from 'node:util';
import { findTemporalCli } from '../../workers/temporal/temporal-cli';
import { salesforceChangeStream } from '../../workflows/change-stream/change-stream';
import { CHANGE_STREAM_WORKFLOW_ID } from '../../workflows/change-stream/messages';
import { projectSyncWorkflowId } from '../../workflows/project-sync/messages';
import { DEFAULT_SETTINGS } from '../../workflows/project-sync/model';
import { TASK_QUEUES } from '../../workflows/task-queues';
import { eventually, settles } from '../support/eventually';
import { adoptedPair, salesforceRecordCount, salesforceRecordsNaming } from '../support/procore-born';
import {
  consoleUser,
  linkedPair,
  procoreProject,
  procoreProjectsByOrigin,
  salesforceProject,
  sandboxStats,
  setFaults,
  startSystem,
  syncState,
  type RunningSystem,
} from '../support/system';
import { TEST_NAMESPACES, temporalAddress } from '../support/temporal';
import { type Recorded, recordHistoriesAndStop } from '../replay/record';
import { SyncTrail } from '../soak/lib/sync-trail';

jest.setTimeout(120_000);

let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem(TEST_NAMESPACES.e2e);
}, 120_000);

const recorded: Recorded[] = [];

afterAll(() => recordHistoriesAndStop(system, recorded));

const apiCalls = async () => ({
  salesforce: (await sandboxStats(system.salesforceUrl)).total,
  procore: (await sandboxStats(system.procoreUrl)).total,
});

describe('the three use cases', () => {
  let salesforceId: string;
  let procoreId: number;

  it('1. a project created in Salesforce is created in Procore, linked both ways', async () => {
    const created = await consoleUser.createSalesforceProject(system, {
      Name: 'Harbor View Tower',
      Project_Type__c: 'Commercial',
      Stage__c: 'Pre-Construction',
      City__c: 'Seattle',
      Estimated_Value__c: 42500000,
      Start_Date__c: '2027-03-01',
    });
    salesforceId = created.Id;
    const { sf, pc } = await linkedPair(system, salesforceId);
    procoreId = pc.id;
    recorded.push(
      [projectSyncWorkflowId(salesforceId), 'project-sync.lifecycle'],
      [`procore-project-${pc.id}`, 'procore-router.linked'],
    );
    expect(pc.origin_id).toBe(salesforceId);
    expect(sf.Procore_ID__c).toBe(String(pc.id));
    const full = await procoreProject(system, pc.id);
    expect(full).toMatchObject({
      name: 'Harbor View Tower',
      city: 'Seattle',
      start_date: '2027-03-01',
      project_type: { id: 562949953421401 },
      project_stage: { id: 562949953421501 },
    });
    expect(Number(full.total_value)).toBe(42500000);
    await eventually(async () => (await syncState(system, salesforceId)).status === 'synced', 'status synced');
  });

  it('2. a project manager’s edit in Procore reaches Salesforce', async () => {
    await consoleUser.editProcoreProject(system, procoreId, { city: 'Tacoma', project_stage_id: 562949953421502 });
    const sf = await eventually(async () => {
      const record = await salesforceProject(system, salesforceId);
      return record.City__c === 'Tacoma' ? record : undefined;
    }, 'the Procore edit in Salesforce');
    expect(sf.Stage__c).toBe('Course of Construction');
    // ProjectSync told the project's router the link when it created the project: routing needed no Procore read.
    const router = await system.temporal.workflow.getHandle(`procore-project-${procoreId}`).fetchHistory();
    expect((router.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes)).toHaveLength(0);
  });

  it('3. the account manager’s edit in Salesforce reaches Procore', async () => {
    await consoleUser.editSalesforceProject(system, salesforceId, {
      Description__c: 'Mixed-use tower, 32 floors',
      Estimated_Value__c: 43000000,
    });
    const pc = await eventually(async () => {
      const project = await procoreProject(system, procoreId);
      return project.description === 'Mixed-use tower, 32 floors' ? project : undefined;
    }, 'the Salesforce edit in Procore');
    expect(Number(pc.total_value)).toBe(43000000);
  });

  it('settles a same-field conflict: both systems end on one of the two edits, and stay there', async () => {
    const created = await consoleUser.createSalesforceProject(system, { Name: 'Crossing Point', City__c: 'Reno' });
    const { pc } = await linkedPair(system, created.Id);
    recorded.push([projectSyncWorkflowId(created.Id), 'project-sync.same-field-conflict']);
    // A person on each side changes the city at the same moment: neither saw the other's value.
    await Promise.all([
      consoleUser.editSalesforceProject(system, created.Id, { City__c: 'Sparks' }),
      consoleUser.editProcoreProject(system, pc.id, { city: 'Carson City' }),
    ]);
    const city = await eventually(async () => {
      const [sf, project] = await Promise.all([salesforceProject(system, created.Id), procoreProject(system, pc.id)]);
      return sf.City__c === project.city && sf.City__c !== 'Reno' ? sf.City__c : undefined;
    }, 'both systems on one city');
    expect(['Sparks', 'Carson City']).toContain(city);
    await settles(apiCalls, 'API calls after the conflict');
    expect((await salesforceProject(system, created.Id)).City__c).toBe(city);
    expect((await procoreProject(system, pc.id)).city).toBe(city);
    expect((await syncState(system, created.Id)).status).toBe('synced');
  });

  // The soak's account of a failing pair (test/soak/lib/sync-trail.ts), read from this sync's real history.
  it("tells the sync's trail: the change event, the Procore write it made, and the reads whose answers reached it", async () => {
    const trail = new SyncTrail(system.temporal, Date.now() - 10 * 60_000);
    const lines = await trail.of(salesforceId, ['description']);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /salesforceChanged: r\d+ UPDATE commit .* person Description__c="Mixed-use tower, 32 floors"/,
        ),
        expect.stringMatching(/updateProcoreProjectIfUnchanged → written description="Mixed-use tower, 32 floors"/),
      ]),
    );
    const reads = await trail.answeredProcoreReads(salesforceId);
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) expect(read.to).toBeGreaterThanOrEqual(read.from);
  });

  it('a Salesforce edit, then a Procore edit: one Salesforce PATCH in all, no 412, no re-read', async () => {
    // Quiet for seconds: the edit below falls in a later second than any LastModifiedDate Tandem knows.
    await settles(apiCalls, 'sandbox API call counts before the edits');
    const row = (stats: Record<string, number>, method: string) =>
      stats[`${method} /services/data/:version/sobjects/:sobject/:id`] ?? 0;
    const before = (await sandboxStats(system.salesforceUrl)).api;
    await consoleUser.editSalesforceProject(system, salesforceId, { Description__c: 'Tower with a public plaza' });
    await eventually(async () => {
      const project = await procoreProject(system, procoreId);
      return project.description === 'Tower with a public plaza';
    }, 'the Salesforce edit in Procore');
    const writes = (await syncState(system, salesforceId)).stats.writes.salesforce;
    await consoleUser.editProcoreProject(system, procoreId, { city: 'Bellevue' });
    // Waits on Tandem's own count: reading the record here would add a GET to the counts compared.
    await eventually(async () => (await syncState(system, salesforceId)).stats.writes.salesforce > writes, 'the write');
    await settles(apiCalls, 'sandbox API call counts after the edits');
    const after = (await sandboxStats(system.salesforceUrl)).api;
    expect({ patch: row(after, 'PATCH') - row(before, 'PATCH'), get: row(after, 'GET') - row(before, 'GET') }).toEqual({
      patch: 1,
      get: 0,
    });
    expect((await salesforceProject(system, salesforceId)).City__c).toBe('Bellevue');
  });

  it('does not loop: API call counts stop growing once the sync has settled', async () => {
    const settled = await settles(apiCalls, 'sandbox API call counts');
    const state = await syncState(system, salesforceId);
    expect(state.stats.echoesDropped).toBeGreaterThan(0);
    expect(state.pendingWrites).toEqual({ salesforce: [], procore: [] });
    expect(await apiCalls()).toEqual(settled);
  });
});

describe('rules the sync keeps', () => {
  it('creates exactly one Procore project despite failing Procore calls and duplicated webhooks', async () => {
    await setFaults(system.procoreUrl, { errorRate: 0.4, duplicateWebhooks: true });
    try {
      const created = await consoleUser.createSalesforceProject(system, {
        Name: 'Riverside Clinic',
        Project_Type__c: 'Healthcare',
      });
      await linkedPair(system, created.Id, 60_000);
      await consoleUser.editSalesforceProject(system, created.Id, { City__c: 'Portland' });
      // At this error rate a write (a read and a PATCH an attempt) fails all 12 attempts now and then (0.64^12, 1 in
      // 200): the sync then parks and tries again by itself 30 s later (CI saw it), so the edit is awaited past that.
      await eventually(
        async () => (await procoreProjectsByOrigin(system, created.Id))[0]?.city === 'Portland',
        'edit under faults',
        DEFAULT_SETTINGS.retryFirstDelayMs + 30_000,
      );
      await setFaults(system.procoreUrl, null);
      await settles(apiCalls, 'API calls after the faults');
      expect(await procoreProjectsByOrigin(system, created.Id)).toHaveLength(1);
    } finally {
      await setFaults(system.procoreUrl, null);
    }
  }, 240_000);

  it('coalesces a burst of Salesforce edits into few Procore writes', async () => {
    const created = await consoleUser.createSalesforceProject(system, { Name: 'Burst Depot' });
    const { pc } = await linkedPair(system, created.Id);
    await settles(apiCalls, 'API calls before the burst');
    const before = await sandboxStats(system.procoreUrl);
    for (let i = 1; i <= 6; i++)
      await consoleUser.editSalesforceProject(system, created.Id, { Description__c: `revision ${i}` });
    await eventually(
      async () => (await procoreProject(system, pc.id)).description === 'revision 6',
      'the last revision in Procore',
    );
    const after = await settles(() => sandboxStats(system.procoreUrl), 'Procore calls after the burst');
    const patches =
      (after.api['PATCH /rest/v1.0/projects/:id'] ?? 0) - (before.api['PATCH /rest/v1.0/projects/:id'] ?? 0);
    expect(patches).toBeGreaterThanOrEqual(1);
    expect(patches).toBeLessThanOrEqual(3);
  });

  it('parks a record Salesforce rejects, and recovers on the next change', async () => {
    const created = await consoleUser.createSalesforceProject(system, { Name: 'Parking Garage' });
    const { pc } = await linkedPair(system, created.Id);
    await consoleUser.editProcoreProject(system, pc.id, { name: 'P'.repeat(120) });
    const parked = await eventually(async () => {
      const state = await syncState(system, created.Id);
      return state.status === 'error' ? state : undefined;
    }, 'the sync parked');
    recorded.push([projectSyncWorkflowId(created.Id), 'project-sync.park-and-heal']);
    expect(parked.parked).toMatchObject({
      code: 'TANDEM_SALESFORCE_REJECTED',
      message: expect.stringContaining('STRING_TOO_LONG'),
    });
    await consoleUser.editProcoreProject(system, pc.id, { name: 'Parking Garage North' });
    await eventually(
      async () => (await salesforceProject(system, created.Id)).Name === 'Parking Garage North',
      'the fixed name in Salesforce',
    );
    await eventually(async () => (await syncState(system, created.Id)).status === 'synced', 'status synced again');
  });

  it('deactivates the Procore project when the Salesforce record is deleted, and reactivates it on undelete', async () => {
    const created = await consoleUser.createSalesforceProject(system, { Name: 'Temporary Site Office' });
    const { pc } = await linkedPair(system, created.Id);
    await system.salesforce.sobject('Project__c').destroy(created.Id);
    await eventually(
      async () => (await procoreProject(system, pc.id)).active === false,
      'the Procore project inactive',
    );
    await eventually(async () => (await syncState(system, created.Id)).status === 'deleted', 'status deleted');
    recorded.push([projectSyncWorkflowId(created.Id), 'project-sync.deleted-in-salesforce']);
    await got.post(`${system.salesforceUrl}/sandbox/ui/Project__c/${created.Id}/undelete`);
    await eventually(
      async () => (await procoreProject(system, pc.id)).active === true,
      'the Procore project active again',
    );
    await eventually(
      async () => (await syncState(system, created.Id)).status === 'synced',
      'status synced after the undelete',
    );
  });

  it('re-reads the record on a gap event, and reconciles every changed record on an overflow', async () => {
    const created = await consoleUser.createSalesforceProject(system, { Name: 'Gap Year Gallery' });
    await linkedPair(system, created.Id);
    await settles(apiCalls, 'API calls before the gap');
    const readsBefore =
      (await sandboxStats(system.salesforceUrl)).api['GET /services/data/:version/sobjects/:sobject/:id'] ?? 0;
    const appliedBefore = (await syncState(system, created.Id)).stats.eventsApplied;
    await got.post(`${system.salesforceUrl}/sandbox/gap`, {
      json: { changeType: 'GAP_UPDATE', recordIds: [created.Id] },
    });
    await eventually(
      async () => (await syncState(system, created.Id)).stats.eventsApplied > appliedBefore,
      'the gap applied',
    );
    const readsAfter =
      (await sandboxStats(system.salesforceUrl)).api['GET /services/data/:version/sobjects/:sobject/:id'] ?? 0;
    expect(readsAfter).toBeGreaterThan(readsBefore);

    // An overflow names no record: every record changed since its commit second is re-synced. Edit, then publish
    // the overflow, until both fall in the same second (the edit is then one of the records it covers).
    const resyncSignals = async () => {
      const history = await system.temporal.workflow.getHandle(projectSyncWorkflowId(created.Id)).fetchHistory();
      return (history.events ?? []).filter(
        (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'resyncRequested',
      ).length;
    };
    const before = await resyncSignals();
    let covered = false;
    for (let attempt = 1; attempt <= 5 && !covered; attempt++) {
      const edited = await consoleUser.editSalesforceProject(system, created.Id, {
        Name: `Gap Year Gallery ${attempt}`,
      });
      const overflow = await got
        .post(`${system.salesforceUrl}/sandbox/gap`, { json: { changeType: 'GAP_OVERFLOW' } })
        .json<{ payload: { ChangeEventHeader: { commitTimestamp: number } } }>();
      covered =
        Date.parse(String(edited.LastModifiedDate).replace('+0000', 'Z')) >=
        overflow.payload.ChangeEventHeader.commitTimestamp;
    }
    expect(covered).toBe(true);
    await eventually(async () => (await resyncSignals()) > before, 'a resync signal from the overflow reconciliation');
  });

  it('gives a project created in Procore its Salesforce record, linked both ways', async () => {
    const countBefore = await salesforceRecordCount(system);
    const born = await consoleUser.createProcoreProject(system, { name: 'Procore-born Warehouse' });
    await consoleUser.editProcoreProject(system, born.id, { city: 'Boise' });
    const { sf } = await adoptedPair(system, born.id);
    await eventually(
      async () => (await salesforceProject(system, sf.Id)).City__c === 'Boise',
      'the Procore edit in Salesforce',
    );
    await settles(apiCalls, 'API calls after the Procore-born project');
    expect(await salesforceRecordCount(system)).toBe(countBefore + 1);
    expect(await salesforceRecordsNaming(system, born.id)).toHaveLength(1);
    expect(await procoreProjectsByOrigin(system, sf.Id)).toHaveLength(1);
  });
});

describe('operations', () => {
  it('finishes a sync after the worker is killed in the middle of it', async () => {
    const created = await consoleUser.createSalesforceProject(system, { Name: 'Crash Test Lab' });
    await linkedPair(system, created.Id);
    // Slow Procore down so the kill lands while activities are in flight.
    await setFaults(system.procoreUrl, { latencyMs: 1500 });
    try {
      await consoleUser.editSalesforceProject(system, created.Id, { City__c: 'Reno' });
      await eventually(
        async () => (await syncState(system, created.Id)).queued === 0,
        'the change to be picked up',
        10_000,
        50,
      );
      await system.restart('worker', 'kill');
      await setFaults(system.procoreUrl, null);
      await eventually(
        async () => (await procoreProjectsByOrigin(system, created.Id))[0]?.city === 'Reno',
        'the edit in Procore after the restart',
        60_000,
      );
    } finally {
      await setFaults(system.procoreUrl, null);
    }
  });

  it('loses and repeats nothing when the CDC subscriber restarts', async () => {
    const created = await consoleUser.createSalesforceProject(system, { Name: 'Stream Restart Yard' });
    const { pc } = await linkedPair(system, created.Id);
    await system.stopPart('cdc');
    await consoleUser.editSalesforceProject(system, created.Id, { City__c: 'Fresno' });
    await consoleUser.editSalesforceProject(system, created.Id, { Postal_Code__c: '93650' });
    await system.startPart('cdc');
    await eventually(
      async () => {
        const project = await procoreProject(system, pc.id);
        return project.city === 'Fresno' && project.zip === '93650';
      },
      'both edits made while the subscriber was down',
      60_000,
    );
    const state = await syncState(system, created.Id);
    expect(state.stats.duplicatesDropped).toBe(0);
  });

  it('re-syncs on a signal sent with the temporal CLI', async () => {
    const created = await consoleUser.createSalesforceProject(system, { Name: 'Resync Plaza' });
    await linkedPair(system, created.Id);
    const before = (await syncState(system, created.Id)).stats.eventsApplied;
    const cli = findTemporalCli();
    if (!cli) throw new Error('the temporal CLI should have been provisioned by global setup');
    await promisify(execFile)(cli, [
      'workflow',
      'signal',
      '--address',
      temporalAddress(),
      '--namespace',
      system.namespace,
      '--workflow-id',
      projectSyncWorkflowId(created.Id),
      '--name',
      'resyncRequested',
      '--input',
      '{"reason":"operator"}',
    ]);
    await eventually(
      async () => (await syncState(system, created.Id)).stats.eventsApplied >= before + 2,
      'both sides re-read',
    );
    recorded.push(
      [projectSyncWorkflowId(created.Id), 'project-sync.resync'],
      ['salesforce-change-stream', 'change-stream'],
    );
  });
});

describe('the CDC subscriber recovers', () => {
  it('from dropped CometD connections', async () => {
    const created = await consoleUser.createSalesforceProject(system, { Name: 'Dropped Line Depot' });
    const { pc } = await linkedPair(system, created.Id);
    await setFaults(system.salesforceUrl, { dropCometd: true });
    await consoleUser.editSalesforceProject(system, created.Id, { City__c: 'Spokane' });
    await eventually(
      async () => (await procoreProject(system, pc.id)).city === 'Spokane',
      'the edit after the drop',
      60_000,
    );
    await setFaults(system.salesforceUrl, null);
  });

  it('from expired sessions, on the REST API and on the stream', async () => {
    const created = await consoleUser.createSalesforceProject(system, { Name: 'Expired Session Annex' });
    const { pc } = await linkedPair(system, created.Id);
    await setFaults(system.salesforceUrl, { expireSessions: true });
    await system.salesforce.authorize({ grant_type: 'client_credentials' });
    await consoleUser.editSalesforceProject(system, created.Id, { City__c: 'Yakima' });
    await eventually(
      async () => (await procoreProject(system, pc.id)).city === 'Yakima',
      'Salesforce to Procore after the expiry',
      60_000,
    );
    await consoleUser.editProcoreProject(system, pc.id, { zip: '98901' });
    await eventually(
      async () => (await salesforceProject(system, created.Id)).Postal_Code__c === '98901',
      'Procore to Salesforce after the expiry',
      60_000,
    );
  });

  it('from a replayId Salesforce no longer has, by reconciling what changed since, deletes included', async () => {
    const created = await consoleUser.createSalesforceProject(system, { Name: 'Forgotten Replay Works' });
    const { pc } = await linkedPair(system, created.Id);
    const doomed = await consoleUser.createSalesforceProject(system, { Name: 'Forgotten Replay Demolition' });
    const { pc: doomedPc } = await linkedPair(system, doomed.Id);
    const stream = system.temporal.workflow.getHandle(CHANGE_STREAM_WORKFLOW_ID);
    await stream.terminate('test: restart from an unknown replayId');
    // The terminated run's activity keeps its CometD client until its next heartbeat fails: only once Salesforce
    // counts no streaming client is an edit unseen by any subscriber.
    await eventually(async () => {
      const { DurableStreamingApiConcurrentClients: clients } = await system.salesforce.limits();
      return clients.Remaining === clients.Max ? true : undefined;
    }, 'the old subscriber to disconnect');
    const since = Date.now() - 1000;
    await consoleUser.editSalesforceProject(system, created.Id, { City__c: 'Olympia' });
    // A plain SOQL query leaves deleted records out: the reconciliation must ask for them too.
    await consoleUser.deleteSalesforceProject(system, doomed.Id);
    await system.temporal.workflow.start(salesforceChangeStream, {
      workflowId: CHANGE_STREAM_WORKFLOW_ID,
      taskQueue: TASK_QUEUES.sync,
      args: [{ startReplayId: -1, cursor: { replayId: 987654321, commitTimestamp: since } }],
    });
    await eventually(
      async () => (await procoreProject(system, pc.id)).city === 'Olympia',
      'the edit found by reconciliation',
      60_000,
    );
    await eventually(
      async () => (await procoreProject(system, doomedPc.id)).active === false,
      'the delete found by reconciliation',
      60_000,
    );
  });
});
