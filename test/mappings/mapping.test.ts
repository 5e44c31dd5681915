import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TandemError } from '../../common/errors';
import {
  conflictPolicyOf,
  fromProcore,
  fromSalesforce,
  projectMapping,
  salesforceWinsEveryConflict,
  toProcore,
  toSalesforce,
} from '../../mappings';
import { DEFAULT_MAPPING_FILE, loadMappingFile, validateMapping } from '../../mappings/validate';

describe('the project mapping', () => {
  it('is valid as shipped', () => {
    expect(loadMappingFile(DEFAULT_MAPPING_FILE).fields.length).toBeGreaterThan(10);
  });

  it('converts a Salesforce record to canonical values and on to Procore write form', () => {
    const canonical = fromSalesforce(projectMapping, {
      Name: 'Harbor View Tower',
      Project_Type__c: 'Commercial',
      Stage__c: 'Pre-Construction',
      Estimated_Value__c: 1250000.5,
      Start_Date__c: '2027-03-01',
      Active__c: true,
      Description__c: null,
      LastModifiedDate: '2026-11-27T10:00:00.000Z',
    });
    expect(canonical).toEqual({
      name: 'Harbor View Tower',
      projectType: 'Commercial',
      stage: 'Pre-Construction',
      estimatedValue: 1250000.5,
      startDate: '2027-03-01',
      active: true,
      description: null,
    });
    expect(toProcore(projectMapping, canonical)).toEqual({
      name: 'Harbor View Tower',
      project_type_id: 562949953421401,
      project_stage_id: 562949953421501,
      total_value: 1250000.5,
      // Procore wants a full date-time even for a date; it stores anything else as null.
      start_date: '2027-03-01T00:00:00Z',
      active: true,
      description: null,
    });
  });

  it('reads Procore show form (decimal strings, nested lookups, empty strings) into the same canonical values', () => {
    const canonical = fromProcore(projectMapping, {
      name: 'Harbor View Tower',
      project_type: { id: 562949953421401, name: 'Commercial' },
      project_stage: { id: 562949953421501, name: 'Pre-Construction' },
      total_value: '1250000.5',
      start_date: '2027-03-01',
      active: true,
      description: '',
      address: null,
    });
    expect(canonical).toMatchObject({
      name: 'Harbor View Tower',
      projectType: 'Commercial',
      stage: 'Pre-Construction',
      estimatedValue: 1250000.5,
      description: null,
      street: null,
    });
    expect(toSalesforce(projectMapping, { projectType: 'Commercial', estimatedValue: 10 })).toEqual({
      Project_Type__c: 'Commercial',
      Estimated_Value__c: 10,
    });
  });

  it('names the table, side, value and field of an unknown lookup value', () => {
    expect(() => fromSalesforce(projectMapping, { Project_Type__c: 'Spaceport' })).toThrow(
      expect.objectContaining({
        code: 'TANDEM_UNKNOWN_LOOKUP_VALUE',
        message: 'No projectTypes entry for salesforce value "Spaceport" of field projectType',
        // What a sync parked on it shows as `parked.field`.
        field: 'projectType',
      }),
    );
    expect(() => fromProcore(projectMapping, { project_type: { id: 1 } })).toThrow(TandemError);
  });

  it('rejects a malformed mapping file naming the file, the field and the value', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mapping-'));
    const file = path.join(dir, 'bad.mapping.json');
    const bad = structuredClone(projectMapping) as unknown as { fields: Array<Record<string, unknown>> };
    bad.fields[2] = { ...bad.fields[2], type: 'picklist' };
    writeFileSync(file, JSON.stringify(bad));
    expect(() => loadMappingFile(file)).toThrow(
      /bad\.mapping\.json: fields\[2\] \(projectType\)\.type: .*\(got "picklist"\)/,
    );
    const missingTable = { ...projectMapping, lookups: {} };
    expect(() => validateMapping(missingTable, 'x.json')).toThrow(
      /x\.json: fields\[2\] \(projectType\): lookup table "projectTypes" is not defined/,
    );
  });

  it('says when Salesforce wins every conflict the mapping can meet (its Procore writes need no compare read)', () => {
    const owned = structuredClone(projectMapping);
    expect(salesforceWinsEveryConflict(owned)).toBe(false); // shipped: latest
    owned.conflictPolicy = 'salesforce-wins';
    expect(salesforceWinsEveryConflict(owned)).toBe(true);
    owned.fields[5] = { ...owned.fields[5], conflict: 'latest' };
    expect(salesforceWinsEveryConflict(owned)).toBe(false);
    // A one-way field never meets a conflict, whatever its policy would be.
    owned.fields[5] = { ...owned.fields[5], direction: 'procore-to-salesforce', conflict: undefined };
    owned.conflictPolicy = 'salesforce-wins';
    expect(salesforceWinsEveryConflict(owned)).toBe(true);
    const allLatestButOneWay = structuredClone(projectMapping);
    allLatestButOneWay.fields = allLatestButOneWay.fields.map((f) => ({ ...f, direction: 'salesforce-to-procore' }));
    expect(salesforceWinsEveryConflict(allLatestButOneWay)).toBe(true);
  });

  it('takes a conflict policy per field and for the mapping, and rejects one it does not know or that contradicts a direction', () => {
    const withPolicies = structuredClone(projectMapping);
    withPolicies.conflictPolicy = 'salesforce-wins';
    withPolicies.fields[3] = { ...withPolicies.fields[3], conflict: 'procore-wins' };
    const valid = validateMapping(withPolicies, 'ok.json');
    expect(conflictPolicyOf(valid, valid.fields[3])).toBe('procore-wins');
    expect(conflictPolicyOf(valid, valid.fields[0])).toBe('salesforce-wins');
    expect(conflictPolicyOf(projectMapping, projectMapping.fields[0])).toBe('latest');

    const unknown = structuredClone(projectMapping) as unknown as { fields: Array<Record<string, unknown>> };
    unknown.fields[5] = { ...unknown.fields[5], conflict: 'newest' };
    expect(() => validateMapping(unknown, 'x.json')).toThrow(
      /x\.json: fields\[5\] \(city\)\.conflict: .*\(got "newest"\)/,
    );
    const contradicting = structuredClone(projectMapping);
    contradicting.fields[5] = {
      ...contradicting.fields[5],
      direction: 'salesforce-to-procore',
      conflict: 'procore-wins',
    };
    expect(() => validateMapping(contradicting, 'x.json')).toThrow(
      /fields\[5\] \(city\): conflict "procore-wins" contradicts direction "salesforce-to-procore"/,
    );
  });
});
