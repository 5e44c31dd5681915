/**
 * Projects born in Procore, end to end on real processes: a project a person creates in the Procore console gets
 * exactly one Salesforce record (despite duplicated webhooks and a retried creation whose first answer was lost),
 * with `Procore_ID__c` and origin_id linking the two; later edits sync both ways; with TANDEM_CREATE_IN_SALESFORCE=off
 * such a project is left alone, and once it is back on the project's next edit adopts it.
 */
import type { temporal } from '@temporalio/proto';
import { eventually, settles } from '../support/eventually';
import { adoptedPair, salesforceRecordCount, salesforceRecordsNaming } from '../support/procore-born';
import {
  consoleUser,
  procoreProject,
  procoreProjectsByOrigin,
  salesforceProject,
  sandboxStats,
  setFaults,
  startSystem,
  syncState,
  type RunningSystem,
} from '../support/system';
import { TEST_NAMESPACES } from '../support/temporal';
import { projectSyncWorkflowId } from '../../workflows/project-sync/messages';
import { type Recorded, recordHistoriesAndStop } from '../replay/record';
import got from 'got';

jest.setTimeout(120_000);

let system: RunningSystem;
const recorded: Recorded[] = [];

beforeAll(async () => {
  system = await startSystem(TEST_NAMESPACES.procoreBorn, {}, { label: 'procore-born' });
}, 120_000);

afterAll(() => recordHistoriesAndStop(system, recorded));

const apiCalls = async () => ({
  salesforce: (await sandboxStats(system.salesforceUrl)).total,
  procore: (await sandboxStats(system.procoreUrl)).total,
});

const routerId = (procoreId: number) => `procore-project-${procoreId}`;

/** The attempts of each run of the creation activity in the project's router. */
async function creationAttempts(procoreId: number): Promise<number[]> {
  const history = await system.temporal.workflow.getHandle(routerId(procoreId)).fetchHistory();
  const events: temporal.api.history.v1.IHistoryEvent[] = history.events ?? [];
  const scheduled = new Set(
    events
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'createSalesforceProjectForProcore')
      .map((e) => String(e.eventId)),
  );
  return events
    .filter((e) => scheduled.has(String(e.activityTaskStartedEventAttributes?.scheduledEventId)))
    .map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0);
}

/** The ingress decides whether routers adopt: it restarts on the same port, so Procore's hook stays valid. */
/**
 * The setting applies wherever a router can be started: the ingress (webhooks) and the sync worker (the Procore
 * sweep adopts a project whose create webhook was lost). CI once saw the sweep, on a worker still set to on, adopt
 * the project the ingress had left alone.
 */
async function restartWith(createInSalesforce: 'on' | 'off'): Promise<void> {
  system.env.TANDEM_CREATE_IN_SALESFORCE = createInSalesforce;
  system.env.INGRESS_PORT = new URL(system.ingressUrl).port;
  await system.restart('worker');
  await system.restart('ingress');
}

describe('a project born in Procore', () => {
  let procoreId: number;
  let salesforceId: string;

  it('gets exactly one Salesforce record, linked both ways, though every webhook comes twice', async () => {
    const countBefore = await salesforceRecordCount(system);
    await setFaults(system.procoreUrl, { duplicateWebhooks: true });
    try {
      const created = await consoleUser.createProcoreProject(system, {
        name: 'Lakeside Library',
        project_number: 'PB-1001',
        city: 'Madison',
        project_type_id: 562949953421401,
        project_stage_id: 562949953421502,
      });
      procoreId = created.id;
      const { sf, pc } = await adoptedPair(system, procoreId);
      salesforceId = sf.Id;
      recorded.push(
        [routerId(procoreId), 'procore-router.born-in-procore'],
        [projectSyncWorkflowId(salesforceId), 'project-sync.born-in-procore'],
      );
      expect(sf.Id).toHaveLength(18);
      expect(pc.origin_id).toBe(sf.Id);
      expect(sf).toMatchObject({
        Name: 'Lakeside Library',
        Project_Number__c: 'PB-1001',
        City__c: 'Madison',
        Project_Type__c: 'Commercial',
        Stage__c: 'Course of Construction',
        Active__c: true,
        Procore_ID__c: String(procoreId),
      });
      await eventually(async () => (await syncState(system, salesforceId)).status === 'synced', 'status synced');
    } finally {
      await setFaults(system.procoreUrl, null);
    }
    await settles(apiCalls, 'API calls after the adoption');
    expect(await salesforceRecordsNaming(system, procoreId)).toHaveLength(1);
    expect(await salesforceRecordCount(system)).toBe(countBefore + 1);
    // The ProjectSync took the pair as linked: it made no second Procore project.
    expect(await procoreProjectsByOrigin(system, salesforceId)).toHaveLength(1);
    expect((await syncState(system, salesforceId)).link).toMatchObject({ procoreProjectId: String(procoreId) });
    expect(await creationAttempts(procoreId)).toEqual([1]);
  });

  it('syncs later edits on either side', async () => {
    await consoleUser.editProcoreProject(system, procoreId, { city: 'Middleton' });
    await eventually(
      async () => (await salesforceProject(system, salesforceId)).City__c === 'Middleton',
      'the Procore edit in Salesforce',
    );
    await consoleUser.editSalesforceProject(system, salesforceId, { Description__c: 'Branch library, two floors' });
    await eventually(
      async () => (await procoreProject(system, procoreId)).description === 'Branch library, two floors',
      'the Salesforce edit in Procore',
    );
    await settles(apiCalls, 'API calls after the edits');
    expect(await salesforceRecordsNaming(system, procoreId)).toHaveLength(1);
    expect(await procoreProjectsByOrigin(system, salesforceId)).toHaveLength(1);
  });

  it('gets one record when the creation is retried after its first answer was lost', async () => {
    await settles(apiCalls, 'API calls before the lost answer');
    const countBefore = await salesforceRecordCount(system);
    // The next write to Salesforce (the upsert) is carried out, and its answer lost: the activity tries again.
    await setFaults(system.salesforceUrl, { loseWriteAnswers: 1 });
    try {
      const created = await consoleUser.createProcoreProject(system, { name: 'Quarry Ridge Clinic' });
      const { sf } = await adoptedPair(system, created.id, 60_000);
      recorded.push([routerId(created.id), 'procore-router.creation-retried']);
      const faults = await got(`${system.salesforceUrl}/sandbox/faults`).json<{ loseWriteAnswers: number }>();
      expect(faults.loseWriteAnswers).toBe(0);
      // The links can be in place before the router's creation completes (the record's ProjectSync, started by the
      // upsert's change event, adopts the project and writes its origin_id too): wait for the activity itself.
      const attempts = await eventually(async () => {
        const started = await creationAttempts(created.id);
        return started.length > 0 ? started : undefined;
      }, 'the creation activity to complete');
      expect(attempts).toEqual([2]);
      await settles(apiCalls, 'API calls after the retried creation');
      expect(await salesforceRecordsNaming(system, created.id)).toHaveLength(1);
      expect(await salesforceRecordCount(system)).toBe(countBefore + 1);
      expect(sf.Name).toBe('Quarry Ridge Clinic');
    } finally {
      await setFaults(system.salesforceUrl, null);
    }
  });

  it('is left alone with TANDEM_CREATE_IN_SALESFORCE=off, and adopted on its next edit once it is on again', async () => {
    await restartWith('off');
    const countBefore = await salesforceRecordCount(system);
    const created = await consoleUser.createProcoreProject(system, { name: 'Procore-only Warehouse' });
    const router = system.temporal.workflow.getHandle(routerId(created.id));
    // Left alone, the router ends once idle, so the setting in force applies again at the next event.
    await eventually(async () => (await router.describe()).status.name === 'COMPLETED', 'the router to end');
    await settles(apiCalls, 'API calls with creation off');
    expect(await salesforceRecordCount(system)).toBe(countBefore);
    expect(await salesforceRecordsNaming(system, created.id)).toHaveLength(0);
    expect((await procoreProject(system, created.id)).origin_id).toBeFalsy();
    expect(await creationAttempts(created.id)).toEqual([]);

    await restartWith('on');
    await consoleUser.editProcoreProject(system, created.id, { city: 'Boise' });
    const { sf } = await adoptedPair(system, created.id);
    expect(sf.Name).toBe('Procore-only Warehouse');
    // A Procore sweep between the restart and the edit may adopt the project first; the edit then follows as a change.
    await eventually(
      async () => (await salesforceProject(system, sf.Id)).City__c === 'Boise',
      'the city in Salesforce',
    );
    await settles(apiCalls, 'API calls after the adoption');
    expect(await salesforceRecordsNaming(system, created.id)).toHaveLength(1);
    expect(await salesforceRecordCount(system)).toBe(countBefore + 1);
  });
});
