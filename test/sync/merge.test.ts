/** The three-way merge of one field: which side's value both should hold, and when clocks are read at all. */
import type { ConflictPolicy, FieldMapping } from '../../mappings/types';
import { DEFAULT_MERGE_SETTINGS, mergeField, type MergeInput } from '../../workflows/project-sync/merge';
import { simMapping } from './sim/world';

const T = Date.parse('2026-11-30T09:00:00Z');

function merge(input: MergeInput, policy: ConflictPolicy = 'latest', direction: FieldMapping['direction'] = 'both') {
  const mapping = simMapping(policy);
  const field = { ...mapping.fields[1], direction };
  return mergeField(mapping, field, input, DEFAULT_MERGE_SETTINGS);
}

const seen = (value: string | null, changedAt: number) => ({ value, changedAt });

describe('mergeField', () => {
  it('takes the one side that changed, whatever the clocks say', () => {
    // Procore's clock far behind: its change still wins, because Salesforce still holds the agreed value.
    expect(
      merge({
        salesforce: seen('Austin', T + 60_000),
        procore: seen('Dallas', T - 60_000),
        agreed: { value: 'Austin' },
      }),
    ).toEqual({ value: 'Dallas', from: 'procore' });
    expect(
      merge({
        salesforce: seen('Houston', T - 60_000),
        procore: seen('Austin', T + 60_000),
        agreed: { value: 'Austin' },
      }),
    ).toEqual({ value: 'Houston', from: 'salesforce' });
  });

  it('settles a conflict by the field policy; `latest` by each side’s own clock, Salesforce within the tolerance', () => {
    const conflict = { salesforce: seen('Houston', T), procore: seen('Dallas', T + 1500), agreed: { value: 'Austin' } };
    expect(merge(conflict, 'salesforce-wins')?.value).toBe('Houston');
    expect(merge(conflict, 'procore-wins')?.value).toBe('Dallas');
    expect(merge(conflict, 'latest')?.value).toBe('Houston');
    expect(merge({ ...conflict, procore: seen('Dallas', T + 2500) }, 'latest')?.value).toBe('Dallas');
  });

  it('fills an empty field of a never-agreed pair, and lets a one-way field follow its source', () => {
    expect(
      merge({ salesforce: seen(null, T), procore: seen('Dallas', T), agreed: undefined }, 'salesforce-wins')?.value,
    ).toBe('Dallas');
    expect(
      merge(
        { salesforce: seen('Austin', T), procore: seen('Dallas', T + 9000), agreed: { value: 'Dallas' } },
        'latest',
        'procore-to-salesforce',
      )?.value,
    ).toBe('Dallas');
    expect(merge({ salesforce: seen('Austin', T), procore: undefined, agreed: undefined })).toBeUndefined();
  });
});
