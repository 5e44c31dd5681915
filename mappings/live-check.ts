/**
 * The mapping against the live systems, as pure functions over what they describe: Salesforce's describe of the
 * object and Procore's project types and stages. Every mismatch is named; warnings are differences a sync survives.
 */
import type { FieldMapping, FieldType, ProjectMapping } from './types';

export interface DescribedField {
  name: string;
  type: string;
  length: number;
  updateable: boolean;
  picklistValues: Array<{ value: string; active: boolean }>;
}

export interface ProcoreRef {
  id: number;
  name: string;
}

export interface ProcoreCatalogs {
  projectTypes: ProcoreRef[];
  projectStages: ProcoreRef[];
}

export interface CheckFinding {
  level: 'mismatch' | 'warning';
  field: string;
  message: string;
}

/** Salesforce field types each mapping type can hold. */
const COMPATIBLE: Record<FieldType, readonly string[]> = {
  text: ['string', 'textarea', 'picklist', 'email', 'phone', 'url'],
  date: ['date'],
  decimal: ['currency', 'double', 'percent', 'int'],
  boolean: ['boolean'],
  lookup: ['picklist', 'string'],
};

/** How long Procore lets these project fields be (Projects: Create, Update). */
export const PROCORE_TEXT_LIMITS: Readonly<Record<string, number>> = {
  name: 255,
  project_number: 255,
  address: 255,
  city: 255,
  state_code: 10,
  country_code: 2,
  zip: 20,
  description: 65535,
};

/** Which Procore catalog a lookup field's ids come from, by the key it writes. */
export function catalogOf(field: FieldMapping): keyof ProcoreCatalogs | undefined {
  const write = typeof field.procore === 'string' ? field.procore : field.procore.write;
  if (write === 'project_type_id') return 'projectTypes';
  if (write === 'project_stage_id') return 'projectStages';
  return undefined;
}

function checkSalesforceField(mapping: ProjectMapping, field: FieldMapping, described: DescribedField | undefined) {
  const out: CheckFinding[] = [];
  const at = (level: CheckFinding['level'], message: string) => out.push({ level, field: field.name, message });
  if (!described) {
    at('mismatch', `Salesforce has no field ${mapping.salesforceObject}.${field.salesforce}`);
    return out;
  }
  if (!COMPATIBLE[field.type].includes(described.type))
    at('mismatch', `${field.salesforce} is a Salesforce ${described.type}, which cannot hold a ${field.type}`);
  if (field.direction !== 'salesforce-to-procore' && !described.updateable)
    at('mismatch', `${field.salesforce} is not writable, but the mapping writes it from Procore`);
  const procoreKey = typeof field.procore === 'string' ? field.procore : field.procore.write;
  const limit = PROCORE_TEXT_LIMITS[procoreKey];
  if (field.type === 'text' && limit !== undefined && described.length !== limit)
    at(
      'warning',
      `${field.salesforce} holds ${described.length} characters, Procore's ${procoreKey} ${limit}: longer values park`,
    );
  if (field.type === 'lookup') out.push(...checkPicklist(mapping, field, described));
  return out;
}

function checkPicklist(mapping: ProjectMapping, field: FieldMapping, described: DescribedField): CheckFinding[] {
  if (described.type !== 'picklist') return [];
  const rows = mapping.lookups[field.lookup ?? ''] ?? [];
  const active = new Set(described.picklistValues.filter((v) => v.active).map((v) => v.value));
  const mapped = new Set(rows.map((r) => r.salesforce));
  const out: CheckFinding[] = [];
  for (const row of rows)
    if (!active.has(row.salesforce))
      out.push({
        level: 'mismatch',
        field: field.name,
        message: `lookup value "${row.salesforce}" is not an active value of ${field.salesforce}`,
      });
  for (const value of active)
    if (!mapped.has(value))
      out.push({
        level: 'mismatch',
        field: field.name,
        message: `${field.salesforce} value "${value}" has no row in lookups.${field.lookup}`,
      });
  return out;
}

function checkProcoreLookup(mapping: ProjectMapping, field: FieldMapping, catalogs: ProcoreCatalogs): CheckFinding[] {
  const catalog = catalogOf(field);
  if (!catalog) return [];
  const out: CheckFinding[] = [];
  for (const row of mapping.lookups[field.lookup ?? ''] ?? []) {
    const ref = catalogs[catalog].find((r) => r.id === row.procore);
    if (!ref)
      out.push({
        level: 'mismatch',
        field: field.name,
        message: `Procore has no ${catalog} id ${row.procore} (for "${row.salesforce}")`,
      });
    else if (ref.name.trim().toLowerCase() !== row.salesforce.trim().toLowerCase())
      out.push({
        level: 'warning',
        field: field.name,
        message: `Procore calls ${catalog} id ${row.procore} "${ref.name}", Salesforce "${row.salesforce}"`,
      });
  }
  return out;
}

export function checkMappingLive(
  mapping: ProjectMapping,
  salesforceFields: DescribedField[],
  catalogs: ProcoreCatalogs,
): CheckFinding[] {
  const byName = new Map(salesforceFields.map((f) => [f.name.toLowerCase(), f]));
  const findings: CheckFinding[] = [];
  for (const field of mapping.fields) {
    findings.push(...checkSalesforceField(mapping, field, byName.get(field.salesforce.toLowerCase())));
    if (field.type === 'lookup') findings.push(...checkProcoreLookup(mapping, field, catalogs));
  }
  if (!byName.has('procore_id__c'))
    findings.push({
      level: 'mismatch',
      field: 'link',
      message: `Salesforce has no field ${mapping.salesforceObject}.Procore_ID__c`,
    });
  return findings;
}
