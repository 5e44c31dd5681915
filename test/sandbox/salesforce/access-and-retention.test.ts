/**
 * Two sandbox controls the reconciliation tests rely on: a record the API user lost access to answers NOT_FOUND
 * (unlike a deleted one, ENTITY_IS_DELETED) while people still edit it, and expiring the retained change events
 * makes an older replayId invalid, as after a CDC outage longer than the retention.
 */
import type { SalesforceSandbox } from '../../../sandbox/salesforce';
import { connect, control, startSandbox } from './helpers';

let sandbox: SalesforceSandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});

afterAll(async () => {
  await sandbox.close();
});

async function createRecord(name: string): Promise<string> {
  const created = await control(sandbox.url, '/sandbox/ui/Project__c', 'POST', { Name: name });
  return ((await created.json()) as { Id: string }).Id;
}

/** The errorCode a rejected call failed with. */
async function failure(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
    return undefined;
  } catch (err) {
    return (err as { errorCode?: string }).errorCode;
  }
}

describe('the API user losing access to a record', () => {
  it('answers NOT_FOUND to reads and writes, not ENTITY_IS_DELETED, until access is back', async () => {
    const conn = await connect(sandbox.url);
    const id = await createRecord('Walled Garden');
    expect((await control(sandbox.url, `/sandbox/ui/Project__c/${id}/api-access`, 'POST', { visible: false })).ok).toBe(
      true,
    );
    expect(await failure(conn.sobject('Project__c').retrieve(id))).toBe('NOT_FOUND');
    expect(await failure(conn.sobject('Project__c').update({ Id: id, City__c: 'X' }))).toBe('NOT_FOUND');
    // People in the org still see and edit it.
    expect((await control(sandbox.url, `/sandbox/ui/Project__c/${id}`, 'PATCH', { City__c: 'Inside' })).ok).toBe(true);

    await control(sandbox.url, `/sandbox/ui/Project__c/${id}/api-access`, 'POST', { visible: true });
    expect(((await conn.sobject('Project__c').retrieve(id)) as { City__c: string }).City__c).toBe('Inside');

    await control(sandbox.url, `/sandbox/ui/Project__c/${id}`, 'DELETE');
    expect(await failure(conn.sobject('Project__c').retrieve(id))).toBe('ENTITY_IS_DELETED');
  });
});

describe('expiring the retained change events', () => {
  it('empties the retention window', async () => {
    await createRecord('Old News');
    const before = (await (await control(sandbox.url, '/sandbox/events', 'GET')).json()) as unknown[];
    expect(before.length).toBeGreaterThan(0);
    const expired = (await (await control(sandbox.url, '/sandbox/expire-events')).json()) as { expired: number };
    expect(expired.expired).toBe(before.length);
    expect(await (await control(sandbox.url, '/sandbox/events', 'GET')).json()).toEqual([]);
  });
});
