/** ProjectSyncModel: a sync's queue, its status, and the body a new Procore project is created with. */
import { projectMapping } from '../../mappings';
import { fromSalesforce } from '../../mappings/project-mapping';
import type { QueuedChange, SalesforceChange } from '../../workflows/project-sync/messages';
import { DEFAULT_SETTINGS, initialState, ProjectSyncModel } from '../../workflows/project-sync/model';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const newModel = (settings = DEFAULT_SETTINGS) =>
  new ProjectSyncModel(initialState('a0X000000000001AAA'), [], projectMapping, settings);

function sfChange(fields: Record<string, unknown>, at: number): SalesforceChange {
  return { eventId: `tx:${at}`, changeType: 'UPDATE', commitTimestamp: at, madeByTandem: false, fields };
}

const resync: QueuedChange = { kind: 'resync', request: { reason: 'test' } };

describe('ProjectSyncModel', () => {
  it('creates the Procore project with every non-empty field that flows to Procore, and its origin_id', () => {
    const model = newModel();
    const salesforce = fromSalesforce(projectMapping, {
      Name: 'Depot',
      Project_Type__c: 'Industrial',
      Active__c: true,
      City__c: null,
    });
    const values = model.pendingCreateValuesFrom(salesforce);
    expect(values).toMatchObject({ name: 'Depot', projectType: 'Industrial', active: true, city: null });
    expect(model.procoreCreateBodyFrom(values)).toEqual({
      name: 'Depot',
      project_type_id: 562949953421405,
      active: true,
      origin_id: 'a0X000000000001AAA',
    });
  });

  it('drops duplicate events by id, including after they were applied', () => {
    const model = newModel();
    const change = sfChange({ Name: 'A' }, T0);
    expect(model.enqueue({ kind: 'salesforce', change })).toBe(true);
    expect(model.enqueue({ kind: 'salesforce', change })).toBe(false);
    model.takeQueued();
    model.remember(change.eventId);
    expect(model.enqueue({ kind: 'salesforce', change })).toBe(false);
    expect(model.state.stats.duplicatesDropped).toBe(2);
  });

  it('queues every resync, and hands the whole queue over in order', () => {
    const model = newModel();
    const change = sfChange({ Name: 'A' }, T0);
    expect(model.enqueue(resync)).toBe(true);
    expect(model.enqueue({ kind: 'salesforce', change })).toBe(true);
    expect(model.enqueue(resync)).toBe(true);
    expect(model.takeQueued().map((q) => q.kind)).toEqual(['resync', 'salesforce', 'resync']);
    expect(model.queue).toEqual([]);
  });

  it('remembers only the most recent event ids', () => {
    const model = newModel({ ...DEFAULT_SETTINGS, recentEventLimit: 2 });
    for (const id of ['e1', 'e2', 'e3']) model.remember(id);
    expect(model.state.recentEventIds).toEqual(['e2', 'e3']);
    expect(model.enqueue({ kind: 'salesforce', change: { ...sfChange({}, T0), eventId: 'e1' } })).toBe(true);
  });

  it('parks with the reason, and a synced batch clears it', () => {
    const model = newModel();
    model.park({ code: 'TANDEM_PROCORE_UNAVAILABLE', message: 'down', at: T0, retryable: true });
    expect(model.state.status).toBe('error');
    expect(model.state.parked).toMatchObject({ code: 'TANDEM_PROCORE_UNAVAILABLE' });
    model.markSynced(T0 + 1000);
    expect(model.state).toMatchObject({ status: 'synced', parked: null, lastSyncedAt: T0 + 1000 });
  });

  it('settles as deleted for a record deleted in Salesforce, and unlinked for one left without a Procore project', () => {
    const deleted = newModel();
    deleted.state.deletedInSalesforce = true;
    deleted.markSynced(T0);
    expect(deleted.state.status).toBe('deleted');

    const unlinked = newModel();
    unlinked.leaveWithoutProcoreProject();
    unlinked.markSynced(T0);
    expect(unlinked.state.status).toBe('unlinked');
    expect(unlinked.waitsForProcoreLink()).toBe(true);
    unlinked.enqueue(resync);
    expect(unlinked.waitsForProcoreLink()).toBe(false);
    unlinked.takeQueued();
    unlinked.linkProcoreProject('562949953500001');
    expect(unlinked.waitsForProcoreLink()).toBe(false);
    unlinked.markSynced(T0 + 1);
    expect(unlinked.state.status).toBe('synced');
  });
});
