/** The Salesforce fields of a record made for a project born in Procore, by the shipped mapping; the creation settings. */
import { loadConfig } from '../../common/config';
import { syncSettings } from '../../workers/sync-settings';
import { projectMapping } from '../../mappings';
import { salesforceValuesForProcoreProject } from '../../mappings/salesforce-create';
import type { ProjectMapping } from '../../mappings/types';

const shownProject = {
  id: 562949953500123,
  name: 'Lakeside Library',
  project_number: 'PB-1001',
  city: 'Madison',
  zip: '',
  start_date: '2027-03-01T00:00:00Z',
  total_value: '18500000.0',
  active: false,
  project_type: { id: 562949953421404, name: 'Education' },
  project_stage: { id: 999, name: 'A stage the mapping does not list' },
  description: null,
};

describe('salesforceValuesForProcoreProject', () => {
  it('converts what flows from Procore, leaves empty values out, and leaves an untranslatable one for the sync', () => {
    const { values, untranslatable } = salesforceValuesForProcoreProject(projectMapping, shownProject);
    expect(values).toEqual({
      Name: 'Lakeside Library',
      Project_Number__c: 'PB-1001',
      City__c: 'Madison',
      Start_Date__c: '2027-03-01',
      Estimated_Value__c: 18500000,
      Active__c: false,
      Project_Type__c: 'Education',
    });
    expect(untranslatable).toEqual(['stage']);
  });

  it('writes no field whose direction is Salesforce to Procore only', () => {
    const oneWay: ProjectMapping = {
      ...projectMapping,
      fields: projectMapping.fields.map((f) => (f.name === 'city' ? { ...f, direction: 'salesforce-to-procore' } : f)),
    };
    const { values } = salesforceValuesForProcoreProject(oneWay, shownProject);
    expect(values).not.toHaveProperty('City__c');
    expect(values).toHaveProperty('Name', 'Lakeside Library');
  });
});

describe.each(['TANDEM_CREATE_IN_SALESFORCE', 'TANDEM_CREATE_IN_PROCORE'] as const)('%s', (setting) => {
  it('is on by default, takes off, and refuses anything else naming the setting', () => {
    expect(loadConfig({})[setting]).toBe('on');
    expect(loadConfig({ [setting]: 'off' })[setting]).toBe('off');
    expect(() => loadConfig({ [setting]: 'maybe' })).toThrow(new RegExp(setting));
  });
});

describe('the sync settings a process hands to the syncs it starts', () => {
  it('carry TANDEM_CREATE_IN_PROCORE', () => {
    expect(syncSettings(loadConfig({})).createInProcore).toBe(true);
    expect(syncSettings(loadConfig({ TANDEM_CREATE_IN_PROCORE: 'off' })).createInProcore).toBe(false);
  });
});
