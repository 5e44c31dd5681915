/**
 * ConvergentRules with the shipped mapping, one step at a time: what a new project's answer, an echo and a deleted
 * record make Tandem write. The interleavings are the model checker's (convergence.*.test.ts).
 */
import { projectMapping } from '../../mappings';
import type { ProcoreProjectRecord } from '../../activities/procore/types';
import type { SalesforceProjectRecord } from '../../activities/salesforce/types';
import { ConvergentRules } from '../../workflows/project-sync/convergent-rules';
import type { SalesforceChange } from '../../workflows/project-sync/messages';
import { DEFAULT_SETTINGS, initialState, ProjectSyncModel } from '../../workflows/project-sync/model';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const SALESFORCE_ID = 'a0X000000000001AAA';
const PROCORE_ID = '562949953500001';
/** The stage Procore gives a new project when none is sent, and its Salesforce name in the mapping. */
const DEFAULT_STAGE = { id: 562949953421502 };

const salesforce = (fields: Record<string, unknown>, at: number): SalesforceProjectRecord => ({
  id: SALESFORCE_ID,
  status: 'live',
  fields: { Name: 'Depot', Active__c: true, ...fields },
  lastModifiedAt: at,
});

const procore = (fields: Record<string, unknown>, at: number): ProcoreProjectRecord => ({
  id: PROCORE_ID,
  originId: SALESFORCE_ID,
  active: true,
  updatedAt: at,
  fields: { name: 'Depot', active: true, project_stage: DEFAULT_STAGE, ...fields },
});

function change(
  fields: Record<string, unknown>,
  at: number,
  madeByTandem: boolean,
  replayId: number,
): SalesforceChange {
  return { eventId: `tx:${replayId}`, changeType: 'UPDATE', commitTimestamp: at, madeByTandem, fields, replayId };
}

/** A pair linked and in sync, as Tandem last read both. */
function linkedRules(): ConvergentRules {
  const state = initialState(SALESFORCE_ID);
  state.link = { salesforceId: SALESFORCE_ID, procoreProjectId: PROCORE_ID, writtenToSalesforce: true };
  const rules = new ConvergentRules(state, projectMapping);
  rules.observeSalesforce(salesforce({ Stage__c: 'Course of Construction', Procore_ID__c: PROCORE_ID }, T0), []);
  rules.observeProcore(procore({}, T0));
  expect(rules.pendingFor('procore')).toEqual({});
  expect(rules.pendingFor('salesforce')).toEqual({});
  return rules;
}

describe('ConvergentRules', () => {
  it('sends the values Procore filled in on a new project back to Salesforce, with the link', () => {
    const state = initialState(SALESFORCE_ID);
    const rules = new ConvergentRules(state, projectMapping);
    const model = new ProjectSyncModel(state, [], projectMapping, DEFAULT_SETTINGS);
    rules.observeSalesforce(salesforce({}, T0), []);
    const values = model.pendingCreateValuesFrom(rules.seen('salesforce')!.values);
    expect(model.procoreCreateBodyFrom(values)).toEqual({ name: 'Depot', active: true, origin_id: SALESFORCE_ID });
    // As the batch takes a created project: what it was created with is agreed, the rest merged as Procore filled it.
    model.linkProcoreProject(PROCORE_ID);
    rules.agreeOnCreated(values);
    expect(rules.recordProcoreWrite(procore({}, T0 + 500), values)).toEqual([]);
    expect(rules.pendingFor('procore')).toEqual({});
    expect(rules.pendingFor('salesforce')).toEqual({ stage: 'Course of Construction' });
    expect(rules.needsSalesforceWrite()).toBe(true);
    expect(rules.salesforceBody(rules.pendingFor('salesforce'))).toEqual({
      Stage__c: 'Course of Construction',
      Procore_ID__c: PROCORE_ID,
    });
  });

  it('writes only the fields that changed', () => {
    const rules = linkedRules();
    rules.observeProcore(procore({ city: 'Dallas' }, T0 + 5000));
    expect(rules.pendingFor('salesforce')).toEqual({ city: 'Dallas' });
    expect(rules.salesforceBody(rules.pendingFor('salesforce'))).toEqual({ City__c: 'Dallas' });
    expect(rules.pendingFor('procore')).toEqual({});
  });

  it('recognises the echo of its own Salesforce write once, but not a trigger’s change on top of it', () => {
    const rules = linkedRules();
    rules.observeProcore(procore({ city: 'Dallas' }, T0 + 1000));
    const written = rules.pendingFor('salesforce');
    const body = rules.salesforceBody(written);
    rules.beginSalesforceWrite(written);
    rules.recordSalesforceWrite(written, body);
    const at = T0 + 1300;
    // A trigger (or another integration) that changed a value on top of Tandem's write: news, to be read.
    expect(rules.takeSalesforceEcho(change({ City__c: 'Dallas', Name: 'Depot (trigger)' }, at, true, 11))).toBe(false);
    // The same value set by a person is no echo either.
    expect(rules.takeSalesforceEcho(change({ City__c: 'Dallas' }, at, false, 12))).toBe(false);
    expect(rules.takeSalesforceEcho(change({ City__c: 'Dallas', LastModifiedDate: 'x' }, at, true, 13))).toBe(true);
    // Each write echoes once: a second event with its values is someone's.
    expect(rules.takeSalesforceEcho(change({ City__c: 'Dallas' }, at + 1000, true, 14))).toBe(false);
  });

  it('deactivates the Procore project of a record deleted in Salesforce, and never writes to the deleted record', () => {
    const rules = linkedRules();
    rules.observeSalesforce({ id: SALESFORCE_ID, status: 'deleted', fields: {}, lastModifiedAt: 0 }, []);
    rules.observeProcore(procore({ city: 'Dallas' }, T0 + 1000)); // a Procore edit after the delete
    expect(rules.pendingFor('procore')).toEqual({ active: false });
    expect(rules.pendingFor('salesforce')).toEqual({});
    expect(rules.needsSalesforceWrite()).toBe(false);
  });
});
