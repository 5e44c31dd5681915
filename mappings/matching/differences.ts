/**
 * The fields on which two records about to be linked disagree, and which side's value the link keeps. An empty
 * value never wins over a real one (linking must not blank a field); otherwise the field's direction, then its
 * conflict policy (`conflict` on the field, else the mapping's `conflictPolicy`), the same one the sync merges by.
 */
import { conflictPolicyOf, fromProcore, fromSalesforce } from '../project-mapping';
import type { CanonicalValue, FieldMapping, ProjectMapping, Side } from '../types';
import type { FieldDifference, ProcoreCandidate, SalesforceCandidate } from './types';

/** One field's canonical value; a value the mapping cannot read is shown as it is, so the report can name it. */
function canonical(mapping: ProjectMapping, field: FieldMapping, side: Side, fields: Record<string, unknown>) {
  const single = { ...mapping, fields: [field] };
  try {
    const values = side === 'salesforce' ? fromSalesforce(single, fields) : fromProcore(single, fields);
    return values[field.name] ?? null;
  } catch {
    const raw = side === 'salesforce' ? fields[field.salesforce] : undefined;
    return `unreadable: ${JSON.stringify(raw ?? null)}`;
  }
}

export function canonicalValue(
  mapping: ProjectMapping,
  fieldName: string,
  side: Side,
  fields: Record<string, unknown>,
): CanonicalValue {
  const field = mapping.fields.find((f) => f.name === fieldName);
  return field ? canonical(mapping, field, side, fields) : null;
}

function winnerOf(
  mapping: ProjectMapping,
  field: FieldMapping,
  values: { salesforce: CanonicalValue; procore: CanonicalValue },
  modified: { salesforce: number; procore: number },
): Pick<FieldDifference, 'winner' | 'reason'> {
  if (field.direction === 'salesforce-to-procore') return { winner: 'salesforce', reason: 'direction' };
  if (field.direction === 'procore-to-salesforce') return { winner: 'procore', reason: 'direction' };
  if (values.procore === null) return { winner: 'salesforce', reason: 'only-value' };
  if (values.salesforce === null) return { winner: 'procore', reason: 'only-value' };
  const policy = conflictPolicyOf(mapping, field);
  if (policy === 'latest')
    return { winner: modified.procore > modified.salesforce ? 'procore' : 'salesforce', reason: policy };
  return { winner: policy === 'procore-wins' ? 'procore' : 'salesforce', reason: policy };
}

export function differencesOf(
  mapping: ProjectMapping,
  salesforce: SalesforceCandidate,
  procore: ProcoreCandidate,
): FieldDifference[] {
  const differences: FieldDifference[] = [];
  for (const field of mapping.fields) {
    const values = {
      salesforce: canonical(mapping, field, 'salesforce', salesforce.fields),
      procore: canonical(mapping, field, 'procore', procore.fields),
    };
    if (values.salesforce === values.procore) continue;
    const modified = { salesforce: salesforce.modifiedAt, procore: procore.modifiedAt };
    differences.push({ field: field.name, ...values, ...winnerOf(mapping, field, values, modified) });
  }
  return differences;
}
