/**
 * A mapping under which Salesforce wins every conflict: Tandem writes a Salesforce change to Procore with
 * one PATCH, without the compare read, since a Procore edit it had not seen would lose to the Salesforce value
 * anyway; a change made in Procore alone still reaches Salesforce. Run against the real processes and sandboxes.
 */
import { projectSyncWorkflowId } from '../../workflows/project-sync/messages';
import { type Recorded, recordHistoriesAndStop } from '../replay/record';
import { eventually } from '../support/eventually';
import { mappingFileWithPolicy } from '../support/mapping-file';
import {
  consoleUser,
  linkedPair,
  procoreProject,
  salesforceProject,
  sandboxStats,
  startSystem,
  syncState,
  type RunningSystem,
} from '../support/system';
import { TEST_NAMESPACES } from '../support/temporal';

jest.setTimeout(180_000);

const SHOW = 'GET /rest/v1.0/projects/:id';
const UPDATE = 'PATCH /rest/v1.0/projects/:id';

let system: RunningSystem;
const recorded: Recorded[] = [];

beforeAll(async () => {
  const file = mappingFileWithPolicy('salesforce-wins');
  system = await startSystem(TEST_NAMESPACES.salesforceWins, { TANDEM_MAPPING_FILE: file }, { label: 'sf-wins' });
}, 120_000);

afterAll(() => recordHistoriesAndStop(system, recorded));

async function activitiesOf(salesforceId: string): Promise<string[]> {
  const history = await system.temporal.workflow.getHandle(projectSyncWorkflowId(salesforceId)).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const type = e.activityTaskScheduledEventAttributes?.activityType?.name;
    return type ? [type] : [];
  });
}

describe('a mapping under which Salesforce wins every conflict', () => {
  let salesforceId: string;
  let procoreId: number;

  it('links a new record as under any mapping', async () => {
    const created = await consoleUser.createSalesforceProject(system, { Name: 'Owned Fields Depot', City__c: 'Reno' });
    salesforceId = created.Id;
    recorded.push([projectSyncWorkflowId(salesforceId), 'project-sync.salesforce-wins']);
    procoreId = (await linkedPair(system, salesforceId)).pc.id;
    await eventually(async () => (await syncState(system, salesforceId)).status === 'synced', 'the pair synced');
  });

  it('writes a Salesforce change to Procore with one call, no compare read', async () => {
    const before = await syncState(system, salesforceId);
    const callsBefore = (await sandboxStats(system.procoreUrl)).api;
    const activitiesBefore = (await activitiesOf(salesforceId)).length;
    await consoleUser.editSalesforceProject(system, salesforceId, { Description__c: 'Owned by Salesforce' });
    // The write's own webhook stops at the ingress (an echo), so once the batch is done no call of it can follow.
    // Procore is read here only after the calls are counted: this test's reads go through the same API.
    await eventually(async () => {
      const state = await syncState(system, salesforceId);
      return state.status === 'synced' && state.stats.writes.procore > before.stats.writes.procore;
    }, 'the Procore write done and the pair synced');
    const calls = (await sandboxStats(system.procoreUrl)).api;
    expect((await procoreProject(system, procoreId)).description).toBe('Owned by Salesforce');
    expect((calls[UPDATE] ?? 0) - (callsBefore[UPDATE] ?? 0)).toBe(1);
    expect((calls[SHOW] ?? 0) - (callsBefore[SHOW] ?? 0)).toBe(0);
    const batch = (await activitiesOf(salesforceId)).slice(activitiesBefore);
    expect(batch).toContain('overwriteProcoreProject');
    expect(batch).not.toContain('updateProcoreProjectIfUnchanged');
    expect(batch).not.toContain('readProcoreProject');
  });

  it('still takes a change made in Procore alone to Salesforce', async () => {
    await consoleUser.editProcoreProject(system, procoreId, { city: 'Sparks' });
    await eventually(
      async () => (await salesforceProject(system, salesforceId)).City__c === 'Sparks',
      'the Procore edit in Salesforce',
    );
    await eventually(async () => (await syncState(system, salesforceId)).status === 'synced', 'the pair synced');
  });
});
