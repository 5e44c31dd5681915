/**
 * Procore stores a value it cannot read as null and still answers 2xx (its date-time documentation). The convergent
 * rules must neither believe such a write nor take the null for an edit made in Procore.
 */
import { projectMapping } from '../../mappings';
import type { ProcoreProjectRecord } from '../../activities/procore/types';
import type { SalesforceProjectRecord } from '../../activities/salesforce/types';
import { ConvergentRules } from '../../workflows/project-sync/convergent-rules';
import { initialState } from '../../workflows/project-sync/model';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const SALESFORCE_ID = 'a0X000000000001AAA';

const salesforce = (fields: Record<string, unknown>, at: number): SalesforceProjectRecord => ({
  id: SALESFORCE_ID,
  status: 'live',
  fields: { Name: 'Depot', Active__c: true, ...fields },
  lastModifiedAt: at,
});

const procore = (fields: Record<string, unknown>, at: number): ProcoreProjectRecord => ({
  id: '1',
  originId: SALESFORCE_ID,
  active: true,
  updatedAt: at,
  fields: { name: 'Depot', active: true, ...fields },
});

function linkedRules(): ConvergentRules {
  const state = initialState(SALESFORCE_ID);
  state.link.procoreProjectId = '1';
  const rules = new ConvergentRules(state, projectMapping);
  rules.observeSalesforce(salesforce({ Start_Date__c: '2027-03-01' }, T0), []);
  rules.observeProcore(procore({ start_date: '2027-03-01' }, T0));
  return rules;
}

describe('a value Procore did not store', () => {
  it('is reported, stays Salesforce’s, and is never copied back as null', () => {
    const rules = linkedRules();
    rules.observeSalesforce(salesforce({ Start_Date__c: '2027-04-15' }, T0 + 1000), []);
    const written = rules.pendingFor('procore');
    expect(written).toEqual({ startDate: '2027-04-15' });

    // Procore answers 200 with start_date null, and its clock says that is newer than the Salesforce edit.
    const dropped = rules.recordProcoreWrite(procore({ start_date: null }, T0 + 5000), written);
    expect(dropped).toEqual(['startDate']);
    expect(rules.describeProcoreFields(dropped)).toBe('startDate (Procore start_date)');
    expect(rules.pendingFor('salesforce')).toEqual({});
    expect(rules.pendingFor('procore')).toEqual({ startDate: '2027-04-15' });

    // Reading the same null later is no news either.
    rules.observeProcore(procore({ start_date: null }, T0 + 5000));
    expect(rules.pendingFor('salesforce')).toEqual({});
  });

  it('is forgotten once Procore keeps a value, and a later null is then an edit made in Procore', () => {
    const rules = linkedRules();
    rules.observeSalesforce(salesforce({ Start_Date__c: '2027-04-15' }, T0 + 1000), []);
    const written = rules.pendingFor('procore');
    rules.recordProcoreWrite(procore({ start_date: null }, T0 + 2000), written);
    expect(rules.recordProcoreWrite(procore({ start_date: '2027-04-15' }, T0 + 3000), written)).toEqual([]);
    expect(rules.pendingFor('procore')).toEqual({});

    // A person clears the date in Procore: that null is an edit, and Salesforce follows.
    rules.observeProcore(procore({ start_date: null }, T0 + 10_000));
    expect(rules.pendingFor('salesforce')).toEqual({ startDate: null });
  });
});
