/**
 * End to end, what Procore keeps of what Tandem writes: Tandem writes dates as the full date-times Procore asks for,
 * registers only the Projects triggers Procore offers, and when Procore stores null for a value it was sent (as it
 * does, answering 2xx, with a value it cannot read) the sync parks naming the field instead of believing the write
 * or copying the null back to Salesforce. The whole system runs as separate processes (test/support/system.ts).
 */
import { eventually } from '../support/eventually';
import {
  consoleUser,
  linkedPair,
  procoreGet,
  procoreProject,
  salesforceProject,
  setFaults,
  startSystem,
  syncState,
  type RunningSystem,
} from '../support/system';
import { TEST_NAMESPACES } from '../support/temporal';

jest.setTimeout(120_000);

let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem(TEST_NAMESPACES.procoreStored, {}, { label: 'e2e-procore-stored' });
}, 120_000);

afterAll(async () => {
  await system?.stop();
});

describe('what Procore stores of Tandem’s writes', () => {
  it('registers create and update triggers on Projects, and no delete (Procore offers none)', async () => {
    const hooks = await procoreGet<{ id: number }[]>(
      system,
      '/rest/v1.0/webhooks/hooks?company_id=4264807&namespace=tandem',
    );
    expect(hooks).toHaveLength(1);
    const triggers = await procoreGet<{ resource_name: string; event_type: string }[]>(
      system,
      `/rest/v1.0/webhooks/hooks/${hooks[0].id}/triggers?company_id=4264807`,
    );
    expect(triggers.map((t) => `${t.resource_name}:${t.event_type}`).sort()).toEqual([
      'Projects:create',
      'Projects:update',
    ]);
  });

  let salesforceId: string;
  let procoreId: number;

  it('writes dates as full date-times, which Procore keeps (a bare date it would store as null)', async () => {
    const created = await consoleUser.createSalesforceProject(system, {
      Name: 'Dated Depot',
      Start_Date__c: '2027-03-01',
    });
    salesforceId = created.Id;
    const { pc } = await linkedPair(system, salesforceId);
    procoreId = pc.id;
    expect(await procoreProject(system, procoreId)).toMatchObject({ start_date: '2027-03-01' });
    await eventually(async () => (await syncState(system, salesforceId)).status === 'synced', 'status synced');
  });

  it('parks naming the field when Procore stores null for a value it was sent, and keeps Salesforce’s value', async () => {
    await setFaults(system.procoreUrl, { nullFields: ['start_date'] });
    try {
      await consoleUser.editSalesforceProject(system, salesforceId, { Start_Date__c: '2027-04-15' });
      const parked = await eventually(async () => {
        const state = await syncState(system, salesforceId);
        return state.status === 'error' ? state : undefined;
      }, 'the sync parked');
      expect(parked.parked).toMatchObject({
        code: 'TANDEM_PROCORE_VALUE_NOT_STORED',
        message: expect.stringContaining('startDate (Procore start_date)'),
      });
      expect(parked.parked?.message).toContain('"2027-04-15"');
      expect(parked.pendingWrites.procore).toContain('startDate');
      expect((await procoreProject(system, procoreId)).start_date).toBeNull();
      expect((await salesforceProject(system, salesforceId)).Start_Date__c).toBe('2027-04-15');

      // The next change re-reads Procore's null: still not an edit made in Procore, still not copied back. The city
      // goes out in the same write as the date again, is kept, and the date is not.
      await consoleUser.editSalesforceProject(system, salesforceId, { City__c: 'Spokane' });
      await eventually(async () => (await procoreProject(system, procoreId)).city === 'Spokane', 'the city in Procore');
      const again = await eventually(async () => {
        const state = await syncState(system, salesforceId);
        const { procore } = state.pendingWrites;
        return state.status === 'error' && !procore.includes('city') && procore.includes('startDate')
          ? state
          : undefined;
      }, 'the sync parked again after writing the city');
      expect(again.parked?.code).toBe('TANDEM_PROCORE_VALUE_NOT_STORED');
      expect((await salesforceProject(system, salesforceId)).Start_Date__c).toBe('2027-04-15');
    } finally {
      await setFaults(system.procoreUrl, null);
    }

    // Once Procore keeps the value, the next change writes it and the sync recovers.
    await consoleUser.editSalesforceProject(system, salesforceId, { Description__c: 'dates kept again' });
    await eventually(
      async () => (await procoreProject(system, procoreId)).start_date === '2027-04-15',
      'the date in Procore',
    );
    await eventually(async () => (await syncState(system, salesforceId)).status === 'synced', 'status synced again');
    expect((await salesforceProject(system, salesforceId)).Start_Date__c).toBe('2027-04-15');
  });

  it('sees a project deactivated in Procore through its update event, as active false', async () => {
    await consoleUser.editProcoreProject(system, procoreId, { active: false });
    await eventually(
      async () => (await salesforceProject(system, salesforceId)).Active__c === false,
      'Active__c false in Salesforce',
    );
    await consoleUser.editProcoreProject(system, procoreId, { active: true });
    await eventually(
      async () => (await salesforceProject(system, salesforceId)).Active__c === true,
      'Active__c true again',
    );
    expect((await syncState(system, salesforceId)).status).toBe('synced');
  });
});
