import { projectMapping } from '../../mappings';
import type { SalesforceChange } from '../../workflows/project-sync/messages';
import { DEFAULT_SETTINGS, initialState, ProjectSyncModel } from '../../workflows/project-sync/model';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const newModel = () => new ProjectSyncModel(initialState('a0X000000000001AAA'), [], projectMapping, DEFAULT_SETTINGS);

function sfChange(
  fields: Record<string, unknown>,
  at: number,
  extra: Partial<SalesforceChange> = {},
): SalesforceChange {
  return { eventId: `tx:${at}`, changeType: 'UPDATE', commitTimestamp: at, madeByTandem: false, fields, ...extra };
}

describe('ProjectSyncModel', () => {
  it('creates the Procore project from a CREATE with every field, empty ones included as absent', () => {
    const model = newModel();
    model.observeSalesforce({ Name: 'Depot', Project_Type__c: 'Industrial', Active__c: true }, T0, true);
    expect(model.procoreCreateBody()).toEqual({
      name: 'Depot',
      project_type_id: 562949953421405,
      active: true,
      origin_id: 'a0X000000000001AAA',
    });
    expect(model.pendingFor('procore')).toEqual({}); // not linked yet
    expect(model.pendingFor('salesforce')).toEqual({});
  });

  it('takes Procore defaults from the create answer and sends them back to Salesforce', () => {
    const model = newModel();
    model.observeSalesforce({ Name: 'Depot', Active__c: true }, T0, true);
    model.linkProcoreProject('562949953500001');
    model.recordProcoreWrite(
      model.pendingCreateValues(),
      { name: 'Depot', active: true, project_stage: { id: 562949953421502 } },
      T0 + 500,
      T0 + 600,
    );
    expect(model.pendingFor('procore')).toEqual({});
    expect(model.pendingFor('salesforce')).toEqual({ stage: 'Course of Construction' });
    expect(model.salesforceUpdateBody(model.pendingFor('salesforce'))).toEqual({
      Stage__c: 'Course of Construction',
      Procore_ID__c: '562949953500001',
    });
  });

  it('writes only the fields that changed, and lets the newer side win per field', () => {
    const model = newModel();
    model.observeSalesforce({ Name: 'Depot', City__c: 'Austin', Active__c: true }, T0, true);
    model.linkProcoreProject('1');
    model.recordProcoreWrite(
      model.pendingCreateValues(),
      { name: 'Depot', city: 'Austin', active: true, project_stage: { id: 562949953421502 } },
      T0 + 100,
      T0 + 100,
    );
    model.recordSalesforceWrite(model.pendingFor('salesforce'), T0 + 200);

    model.observeProcore(
      { name: 'Depot', city: 'Dallas', active: true, project_stage: { id: 562949953421502 } },
      T0 + 5000,
    );
    expect(model.pendingFor('salesforce')).toEqual({ city: 'Dallas' });
    // A Salesforce event committed before the Procore edit arrives late: it must not undo the newer value.
    model.observeSalesforce({ City__c: 'Houston' }, T0 + 3000, false);
    expect(model.state.snapshot.city).toBe('Dallas');
    expect(model.state.stats.staleIgnored).toBe(1);
    expect(model.pendingFor('salesforce')).toEqual({ city: 'Dallas' });
  });

  it('recognises the echo of its own Salesforce write, but not a trigger that changed a value on top of it', () => {
    const model = newModel();
    model.observeSalesforce({ Name: 'Depot', Active__c: true }, T0, true);
    model.linkProcoreProject('1');
    model.observeProcore({ name: 'Depot', city: 'Dallas', active: true }, T0 + 1000);
    const written = model.pendingFor('salesforce');
    model.recordSalesforceWrite(written, T0 + 1200);
    expect(
      model.isSalesforceEcho(sfChange({ City__c: 'Dallas', LastModifiedDate: 'x' }, T0 + 1300, { madeByTandem: true })),
    ).toBe(true);
    expect(
      model.isSalesforceEcho(
        sfChange({ City__c: 'Dallas', Name: 'Depot (trigger)' }, T0 + 1300, { madeByTandem: true }),
      ),
    ).toBe(false);
    expect(model.isSalesforceEcho(sfChange({ City__c: 'Dallas' }, T0 + 1300, { madeByTandem: false }))).toBe(false);
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

  it('deactivates Procore on a Salesforce delete and never writes to the deleted record', () => {
    const model = newModel();
    model.observeSalesforce({ Name: 'Depot', Active__c: true }, T0, true);
    model.linkProcoreProject('1');
    model.observeProcore({ name: 'Depot', active: true }, T0 + 10);
    model.markDeletedInSalesforce(T0 + 20);
    expect(model.pendingFor('procore')).toEqual({ active: false });
    expect(model.needsSalesforceWrite()).toBe(false);
  });
});
