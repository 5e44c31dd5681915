/**
 * The three-way merge of one field: what Salesforce holds, what Procore holds, and the value both last agreed on.
 * A side that still holds the agreed value did not change it, so the other side's change wins without any clock.
 * Only when both changed it (a conflict) does the field's policy decide, and only `latest` reads the clocks.
 */
import { conflictPolicyOf } from '../../mappings/project-mapping';
import type { CanonicalValue, FieldMapping, ProjectMapping, Side } from '../../mappings/types';

export interface SeenValue {
  value: CanonicalValue;
  /** When that side changed to this value, by that side's own clock (epoch ms). */
  changedAt: number;
}

export interface MergeInput {
  salesforce: SeenValue | undefined;
  procore: SeenValue | undefined;
  /** The agreed value, if the field was ever agreed. */
  agreed: { value: CanonicalValue } | undefined;
}

export interface MergeSettings {
  /** `latest` treats changes this close on the two clocks as simultaneous; Salesforce then wins. */
  clockToleranceMs: number;
}

export const DEFAULT_MERGE_SETTINGS: MergeSettings = { clockToleranceMs: 2000 };

export function sameValue(a: CanonicalValue | undefined, b: CanonicalValue | undefined): boolean {
  return (a ?? null) === (b ?? null);
}

/** The value both sides should hold, and which side it came from; undefined while a side is unknown. */
export function mergeField(
  mapping: ProjectMapping,
  field: FieldMapping,
  input: MergeInput,
  settings: MergeSettings,
): { value: CanonicalValue; from: Side } | undefined {
  const { salesforce, procore, agreed } = input;
  if (!salesforce || !procore) return undefined;
  if (sameValue(salesforce.value, procore.value)) return { value: salesforce.value, from: 'salesforce' };
  if (field.direction === 'salesforce-to-procore') return { value: salesforce.value, from: 'salesforce' };
  if (field.direction === 'procore-to-salesforce') return { value: procore.value, from: 'procore' };
  if (agreed) {
    if (sameValue(salesforce.value, agreed.value)) return { value: procore.value, from: 'procore' };
    if (sameValue(procore.value, agreed.value)) return { value: salesforce.value, from: 'salesforce' };
  } else {
    // Never agreed (a newly linked pair): a value fills an empty field rather than being erased by it.
    if (salesforce.value === null) return { value: procore.value, from: 'procore' };
    if (procore.value === null) return { value: salesforce.value, from: 'salesforce' };
  }
  return resolveConflict(mapping, field, salesforce, procore, settings);
}

/** Both sides changed the field: its policy decides (one-way fields are settled before this). */
export function resolveConflict(
  mapping: ProjectMapping,
  field: FieldMapping,
  salesforce: SeenValue,
  procore: SeenValue,
  settings: MergeSettings,
): { value: CanonicalValue; from: Side } {
  const policy = conflictPolicyOf(mapping, field);
  if (policy === 'procore-wins') return { value: procore.value, from: 'procore' };
  if (policy === 'latest' && procore.changedAt > salesforce.changedAt + settings.clockToleranceMs) {
    return { value: procore.value, from: 'procore' };
  }
  return { value: salesforce.value, from: 'salesforce' };
}
