/** A value the mapping cannot translate fails its own field only (translateLeniently), never the record. */
import { projectMapping } from '../../mappings';
import { fromProcore, translateLeniently } from '../../mappings/project-mapping';

const project = {
  name: 'Odd Type Depot',
  city: 'Tacoma',
  project_type: { id: 999, name: 'Data Center' },
  project_stage: { id: 562949953421502, name: 'Course of Construction' },
  total_value: 'not a number',
  active: true,
};

describe('translateLeniently', () => {
  it('keeps every translatable field and names each other one with the reason', () => {
    expect(() => fromProcore(projectMapping, project)).toThrow(/projectTypes/);
    const { values, untranslatable } = translateLeniently(projectMapping, 'procore', project);
    expect(values).toMatchObject({ name: 'Odd Type Depot', city: 'Tacoma', stage: 'Course of Construction' });
    expect(Object.keys(untranslatable).sort()).toEqual(['estimatedValue', 'projectType']);
    expect(untranslatable.projectType).toMatch(/No projectTypes entry for procore value 999 of field projectType/);
    expect(untranslatable.estimatedValue).toMatch(/not a valid number/);
    expect('projectType' in values).toBe(false);
  });

  it('reads Salesforce the same way, leaving absent fields out', () => {
    const { values, untranslatable } = translateLeniently(projectMapping, 'salesforce', {
      Name: 'X',
      Project_Type__c: 'Data Center',
    });
    expect(values).toEqual({ name: 'X' });
    expect(Object.keys(untranslatable)).toEqual(['projectType']);
  });
});
