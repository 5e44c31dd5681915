/**
 * TANDEM_CREATE_IN_PROCORE=off, end to end on real processes: a record created in Salesforce gets no Procore project;
 * its ProjectSync says why and ends, so a later edit runs on the setting in force then; `tandem backfill` reports the
 * Salesforce-only records and leaves them alone while it links the pairs it finds; and a record Salesforce names a
 * Procore project for (`Procore_ID__c`, set by a person) is linked and synced like any other.
 */
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, readFileSync } from 'node:fs';
import { eventually } from '../support/eventually';
import {
  consoleUser,
  procoreProject,
  procoreProjectsByOrigin,
  salesforceProject,
  sandboxStats,
  startSystem,
  syncState,
  type RunningSystem,
} from '../support/system';
import { runTandem } from '../support/tandem-cli';
import { TEST_NAMESPACES } from '../support/temporal';
import { type Recorded, recordHistoriesAndStop } from '../replay/record';
import { projectSyncWorkflowId } from '../../workflows/project-sync/messages';

jest.setTimeout(120_000);

let system: RunningSystem;
const recorded: Recorded[] = [];
const out = mkdtempSync(path.join(os.tmpdir(), 'tandem-create-off-'));

beforeAll(async () => {
  system = await startSystem(
    TEST_NAMESPACES.createInProcoreOff,
    // Off both ways: the Procore projects a person creates here stay unlinked until a backfill or a record names them.
    { TANDEM_CREATE_IN_PROCORE: 'off', TANDEM_CREATE_IN_SALESFORCE: 'off' },
    { label: 'create-off' },
  );
}, 120_000);

afterAll(() => recordHistoriesAndStop(system, recorded));

const procoreCreates = async () => (await sandboxStats(system.procoreUrl)).api['POST /rest/v1.0/projects'] ?? 0;

/** Waits for a run of the record's sync other than those already seen to end, and returns its id. */
async function nextEndedRun(salesforceId: string, seen: string[]): Promise<string> {
  const handle = system.temporal.workflow.getHandle(projectSyncWorkflowId(salesforceId));
  return eventually(async () => {
    const { runId, status } = await handle.describe();
    return status.name === 'COMPLETED' && !seen.includes(runId) ? runId : undefined;
  }, `a new run of ${salesforceId}'s sync to end`);
}

describe('with TANDEM_CREATE_IN_PROCORE=off', () => {
  let unlinkedId = '';
  const runs: string[] = [];

  it('a record created in Salesforce gets no Procore project; its sync says why and ends', async () => {
    const createsBefore = await procoreCreates();
    const created = await consoleUser.createSalesforceProject(system, {
      Name: 'Office Only',
      Project_Number__c: 'OFF-1',
    });
    unlinkedId = created.Id;
    recorded.push([projectSyncWorkflowId(created.Id), 'project-sync.not-created-in-procore']);
    runs.push(await nextEndedRun(created.Id, runs));
    const state = await syncState(system, created.Id);
    expect(state.status).toBe('unlinked');
    expect(state.link).toMatchObject({ procoreProjectId: null, notCreatedInProcore: true });
    expect(await procoreProjectsByOrigin(system, created.Id)).toEqual([]);
    expect(await procoreCreates()).toBe(createsBefore);
    expect((await salesforceProject(system, created.Id)).Procore_ID__c).toBeFalsy();
    // What an operator reads, through the ingress's API, of a run that has ended.
    const status = await runTandem({ ...system, env: { ...system.env, TANDEM_API_URL: system.ingressUrl } }, [
      'status',
      created.Id,
    ]);
    expect(status).toMatchObject({ code: 0 });
    expect(status.stdout).toMatch(/status\s+unlinked/);
    expect(status.stdout).toMatch(/link\s+none: TANDEM_CREATE_IN_PROCORE is off/);
  });

  it('a later edit starts a new run, which creates nothing either', async () => {
    await consoleUser.editSalesforceProject(system, unlinkedId, { City__c: 'Reno' });
    runs.push(await nextEndedRun(unlinkedId, runs));
    expect(runs[1]).not.toBe(runs[0]);
    expect((await syncState(system, unlinkedId)).status).toBe('unlinked');
    expect(await procoreProjectsByOrigin(system, unlinkedId)).toEqual([]);
  });

  it('tandem backfill links the pair it finds and reports the Salesforce-only record without creating it', async () => {
    const procoreOnly = await consoleUser.createProcoreProject(system, { name: 'Depot', project_number: 'OFF-1' });
    const lonely = await consoleUser.createSalesforceProject(system, { Name: 'No Match', Project_Number__c: 'OFF-2' });
    recorded.push([projectSyncWorkflowId(lonely.Id), 'project-sync.left-unlinked-by-backfill']);
    await nextEndedRun(lonely.Id, []);
    const createsBefore = await procoreCreates();
    const run = await runTandem(system, ['backfill', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('TANDEM_CREATE_IN_PROCORE is off');
    expect(run.stdout).toMatch(/Backfill done: 1 linked, 0 handed for creation in Procore/);
    const plan = JSON.parse(readFileSync(path.join(out, 'backfill-plan.json'), 'utf8')) as {
      toCreateInProcore: Array<{ salesforceId: string }>;
      procoreCreation: { off: boolean };
    };
    expect(plan.procoreCreation.off).toBe(true);
    expect(plan.toCreateInProcore.map((c) => c.salesforceId)).toContain(lonely.Id);

    // The pair: both link fields written, and the sync runs on (a linked sync has something to hold).
    await eventually(async () => {
      const sf = await salesforceProject(system, unlinkedId);
      const pc = await procoreProject(system, procoreOnly.id);
      return sf.Procore_ID__c === String(procoreOnly.id) && pc.origin_id === unlinkedId ? true : undefined;
    }, 'the backfill to link Office Only and Depot');
    await consoleUser.editSalesforceProject(system, unlinkedId, { City__c: 'Elko' });
    await eventually(
      async () => ((await procoreProject(system, procoreOnly.id)).city === 'Elko' ? true : undefined),
      'the edit to reach Depot',
    );
    const state = await syncState(system, unlinkedId);
    expect(state.link).toMatchObject({ procoreProjectId: String(procoreOnly.id) });
    expect(state.link.notCreatedInProcore).toBeUndefined();
    expect(state.status).toBe('synced');
    expect(await procoreCreates()).toBe(createsBefore);
    expect(await procoreProjectsByOrigin(system, lonely.Id)).toEqual([]);
  });

  it('a record Salesforce names a Procore project for is linked both ways (origin_id written) and synced', async () => {
    const record = await consoleUser.createSalesforceProject(system, { Name: 'Named Later' });
    recorded.push([projectSyncWorkflowId(record.Id), 'project-sync.adoption']);
    await nextEndedRun(record.Id, []);
    const project = await consoleUser.createProcoreProject(system, { name: 'Named Later', city: 'Provo' });
    await consoleUser.editSalesforceProject(system, record.Id, { Procore_ID__c: String(project.id) });
    // Procore's value fills the field Salesforce left empty; then an edit in Procore arrives through its webhook.
    await eventually(
      async () => ((await salesforceProject(system, record.Id)).City__c === 'Provo' ? true : undefined),
      "Procore's city to fill the record's",
    );
    // Adopting the project Salesforce names writes the other half of the link into Procore.
    await eventually(
      async () => ((await procoreProject(system, project.id)).origin_id === record.Id ? true : undefined),
      "the record's id in the project's origin_id",
    );
    await consoleUser.editProcoreProject(system, project.id, { city: 'Ogden' });
    await eventually(
      async () => ((await salesforceProject(system, record.Id)).City__c === 'Ogden' ? true : undefined),
      'the Procore edit to reach Salesforce',
    );
    expect((await syncState(system, record.Id)).status).toBe('synced');
  });
});
