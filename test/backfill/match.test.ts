import { projectMapping } from '../../mappings';
import { matchRecords, planHasWork } from '../../mappings/matching/match';
import { normaliseKey } from '../../mappings/matching/normalise';
import type { ProcoreCandidate, SalesforceCandidate } from '../../mappings/matching/types';

const sf = (id: string, number: string | null, extra: Partial<SalesforceCandidate> = {}, fields = {}) => ({
  id,
  deleted: false,
  procoreId: null,
  modifiedAt: 1000,
  fields: { Name: `Project ${id}`, Project_Number__c: number, City__c: 'Austin', ...fields },
  ...extra,
});
const pc = (id: string, number: string | null, extra: Partial<ProcoreCandidate> = {}, fields = {}) => ({
  id,
  originId: null,
  active: true,
  modifiedAt: 2000,
  fields: { name: `Project ${id}`, project_number: number, city: 'Austin', ...fields },
  ...extra,
});

const match = (salesforce: SalesforceCandidate[], procore: ProcoreCandidate[], mapping = projectMapping) =>
  matchRecords({ mapping, matchKey: 'projectNumber', salesforce, procore });

describe('the match key', () => {
  it('ignores case, spacing and punctuation, and an empty key matches nothing', () => {
    expect(normaliseKey(' P-2024/00017 ')).toBe('p202400017');
    expect(normaliseKey('p 2024 00017')).toBe(normaliseKey('P.2024.00017'));
    expect(normaliseKey(' - ')).toBeNull();
    expect(normaliseKey(null)).toBeNull();
  });
});

describe('matching two systems', () => {
  it('keeps pairs linked both ways and completes pairs linked by one side only', () => {
    const plan = match(
      [sf('s1', 'A-1', { procoreId: 'p1' }), sf('s2', 'A-2', { procoreId: 'p2' }), sf('s3', 'A-3')],
      [pc('p1', 'A-1', { originId: 's1' }), pc('p2', 'A-2'), pc('p3', 'A-3', { originId: 's3' })],
    );
    expect(plan.linked).toEqual([{ salesforceId: 's1', procoreId: 'p1' }]);
    expect(
      plan.toLink.map((p) => [p.salesforceId, p.procoreId, p.by, p.writeSalesforceLink, p.writeProcoreLink]),
    ).toEqual([
      ['s2', 'p2', 'salesforce-link', false, true],
      ['s3', 'p3', 'procore-link', true, false],
    ]);
    expect(plan.toCreateInProcore).toEqual([]);
  });

  it('links by a normalised project number, creates what has no counterpart, and never guesses between two', () => {
    const plan = match(
      [sf('s1', 'B-7'), sf('s2', 'C-9'), sf('s3', 'D-1'), sf('s4', null)],
      [pc('p1', ' b 7 '), pc('p2', 'C-9'), pc('p3', 'c.9'), pc('p4', 'E-5', { active: false })],
    );
    expect(plan.toLink.map((p) => [p.salesforceId, p.procoreId, p.by, p.key])).toEqual([
      ['s1', 'p1', 'match-key', 'b7'],
    ]);
    expect(plan.ambiguous).toEqual([
      expect.objectContaining({ key: 'c9', salesforceIds: ['s2'], procoreIds: ['p2', 'p3'] }),
    ]);
    expect(plan.toCreateInProcore.map((c) => c.salesforceId).sort()).toEqual(['s3', 's4']);
    expect(plan.toCreateInSalesforce).toEqual([{ procoreId: 'p4', key: 'e5', active: false }]);
    expect(plan.counts).toEqual({ salesforce: 4, salesforceDeleted: 0, procore: 4, procoreInactive: 1 });
  });

  it('does not create a duplicate for a record whose only candidate is linked to another record', () => {
    const plan = match([sf('s1', 'F-1', { procoreId: 'p1' }), sf('s2', 'F-1')], [pc('p1', 'F-1', { originId: 's1' })]);
    expect(plan.toCreateInProcore).toEqual([]);
    expect(plan.ambiguous).toEqual([expect.objectContaining({ salesforceIds: ['s1', 's2'], procoreIds: ['p1'] })]);
  });

  it('reports contradicting links and links to deleted records, and leaves them alone', () => {
    const plan = match(
      [sf('s1', 'G-1', { procoreId: 'p1' }), sf('s2', 'G-2', { deleted: true }), sf('s3', 'G-3', { procoreId: 'p9' })],
      [pc('p1', 'G-1', { originId: 'sX' }), pc('p2', 'G-2', { originId: 's2' })],
    );
    expect(plan.conflictingLinks.map((c) => [c.salesforceId, c.procoreId])).toEqual([
      ['s1', 'p1'],
      ['s3', null],
    ]);
    expect(plan.linkedToDeleted).toEqual([{ salesforceId: 's2', procoreId: 'p2' }]);
    expect(plan.toLink).toEqual([]);
    expect(planHasWork(plan)).toBe(false);
  });

  it("names the differing fields: the mapping's policy decides (latest: the newer record), an empty value never wins", () => {
    const salesforce = [sf('s1', 'H-1', {}, { Name: 'Same', City__c: 'Denver', Description__c: null })];
    const procore = [pc('p1', 'H-1', {}, { name: 'Same', city: 'Boise', description: 'From Procore' })];
    const byDefault = match(salesforce, procore).toLink[0]!.differences;
    expect(projectMapping.conflictPolicy).toBe('latest');
    expect(byDefault).toEqual([
      { field: 'city', salesforce: 'Denver', procore: 'Boise', winner: 'procore', reason: 'latest' },
      { field: 'description', salesforce: null, procore: 'From Procore', winner: 'procore', reason: 'only-value' },
    ]);
    const salesforceWins = { ...projectMapping, conflictPolicy: 'salesforce-wins' } as typeof projectMapping;
    expect(match(salesforce, procore, salesforceWins).toLink[0]!.differences[0]).toMatchObject({
      field: 'city',
      winner: 'salesforce',
      reason: 'salesforce-wins',
    });
  });

  it('refuses a match key the mapping does not have', () => {
    expect(() => matchRecords({ mapping: projectMapping, matchKey: 'nope', salesforce: [], procore: [] })).toThrow(
      /match key 'nope'/,
    );
  });
});
