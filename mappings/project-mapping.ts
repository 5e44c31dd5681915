/**
 * Pure functions that apply a mapping: raw Salesforce or Procore fields to canonical values and back.
 * No I/O, no clocks: workflow code calls these directly.
 */
import { errors, type TandemError } from '../common/errors';
import {
  type CanonicalFields,
  type CanonicalValue,
  type ConflictPolicy,
  DEFAULT_CONFLICT_POLICY,
  type FieldMapping,
  type ProjectMapping,
  type RawFields,
  type Side,
} from './types';

function procoreReadPath(field: FieldMapping): string {
  return typeof field.procore === 'string' ? field.procore : field.procore.read;
}

function procoreWriteKey(field: FieldMapping): string {
  return typeof field.procore === 'string' ? field.procore : field.procore.write;
}

function valueAt(record: RawFields, path: string): unknown {
  let current: unknown = record;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Whether a change seen on `from` may be written to the other side. */
export function flowsFrom(field: FieldMapping, from: Side): boolean {
  if (field.direction === 'both') return true;
  return field.direction === (from === 'salesforce' ? 'salesforce-to-procore' : 'procore-to-salesforce');
}

/** The policy that settles a conflict on this field: its own, else the mapping's, else the default. */
export function conflictPolicyOf(mapping: ProjectMapping, field: FieldMapping): ConflictPolicy {
  return field.conflict ?? mapping.conflictPolicy ?? DEFAULT_CONFLICT_POLICY;
}

/**
 * Whether Salesforce wins every conflict the mapping can meet: each two-way field settles conflicts for Salesforce
 * (one-way fields never conflict). Then a Procore edit Tandem has not seen cannot change what it writes to Procore.
 */
export function salesforceWinsEveryConflict(mapping: ProjectMapping): boolean {
  return mapping.fields.every((f) => f.direction !== 'both' || conflictPolicyOf(mapping, f) === 'salesforce-wins');
}

const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(T.*)?$/;

function toCanonical(field: FieldMapping, raw: unknown, side: Side, mapping: ProjectMapping): CanonicalValue {
  if (raw === undefined || raw === null || raw === '') return null;
  const invalid = (what: string) => onField(errors.INVALID_FIELD_VALUE(field.name, JSON.stringify(raw), what), field);
  switch (field.type) {
    case 'text':
      if (typeof raw !== 'string') throw invalid('text');
      return raw;
    case 'date': {
      const match = typeof raw === 'string' ? ISO_DATE.exec(raw) : null;
      if (!match) throw invalid('date (YYYY-MM-DD)');
      return match[1];
    }
    case 'decimal': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) throw invalid('number');
      return n;
    }
    case 'boolean':
      if (typeof raw !== 'boolean') throw invalid('boolean');
      return raw;
    case 'lookup':
      return lookupToCanonical(field, raw, side, mapping);
  }
}

function lookupRows(field: FieldMapping, mapping: ProjectMapping) {
  return mapping.lookups[field.lookup ?? ''] ?? [];
}

/** Canonical lookup values are the Salesforce spelling; Procore ids are translated through the table. */
function lookupToCanonical(field: FieldMapping, raw: unknown, side: Side, mapping: ProjectMapping): string {
  const rows = lookupRows(field, mapping);
  const row =
    side === 'salesforce' ? rows.find((r) => r.salesforce === raw) : rows.find((r) => r.procore === Number(raw));
  if (!row)
    throw onField(
      errors.UNKNOWN_LOOKUP_VALUE(field.lookup ?? field.name, side, JSON.stringify(raw), field.name),
      field,
    );
  return row.salesforce;
}

/** A parked sync names the field whose value could not be translated. */
function onField(err: TandemError, field: FieldMapping): TandemError {
  err.field = field.name;
  return err;
}

/**
 * Procore asks for a full ISO 8601 date-time even for a calendar date, and stores anything else as null without
 * failing the request (developers.procore.com/documentation/date-time). Midnight UTC names the day itself: Procore
 * keeps the date part as written. Salesforce takes the plain date.
 */
function procoreDate(value: CanonicalValue): string {
  return `${String(value)}T00:00:00Z`;
}

function fromCanonical(field: FieldMapping, value: CanonicalValue, side: Side, mapping: ProjectMapping): unknown {
  if (value === null) return null;
  if (field.type === 'date' && side === 'procore') return procoreDate(value);
  if (field.type !== 'lookup') return value;
  const row = lookupRows(field, mapping).find((r) => r.salesforce === value);
  if (!row)
    throw onField(
      errors.UNKNOWN_LOOKUP_VALUE(field.lookup ?? field.name, 'canonical', JSON.stringify(value), field.name),
      field,
    );
  return side === 'salesforce' ? row.salesforce : row.procore;
}

/**
 * Canonical values of the mapped fields present in a Salesforce record or change event.
 * A CDC UPDATE carries only the changed fields, so absent fields are left out rather than read as empty.
 */
export function fromSalesforce(mapping: ProjectMapping, record: RawFields): CanonicalFields {
  const out: CanonicalFields = {};
  for (const field of mapping.fields) {
    if (!(field.salesforce in record)) continue;
    out[field.name] = toCanonical(field, record[field.salesforce], 'salesforce', mapping);
  }
  return out;
}

/** Canonical values of every mapped field of a Procore project (show form); absent means empty. */
export function fromProcore(mapping: ProjectMapping, project: RawFields): CanonicalFields {
  const out: CanonicalFields = {};
  for (const field of mapping.fields) {
    out[field.name] = toCanonical(field, valueAt(project, procoreReadPath(field)), 'procore', mapping);
  }
  return out;
}

/** Salesforce field values for the given canonical fields (unmapped names are ignored). */
export function toSalesforce(mapping: ProjectMapping, values: CanonicalFields): RawFields {
  const out: RawFields = {};
  for (const field of mapping.fields) {
    if (!(field.name in values)) continue;
    out[field.salesforce] = fromCanonical(field, values[field.name], 'salesforce', mapping);
  }
  return out;
}

/** Procore `project` body keys (write form) for the given canonical fields. */
export function toProcore(mapping: ProjectMapping, values: CanonicalFields): RawFields {
  const out: RawFields = {};
  for (const field of mapping.fields) {
    if (!(field.name in values)) continue;
    out[procoreWriteKey(field)] = fromCanonical(field, values[field.name], 'procore', mapping);
  }
  return out;
}

/**
 * Only the parts of a Procore project the mapping reads (each path's first key), so that what a workflow keeps in its
 * history is the mapped values, not the whole project with its addresses, people and custom fields.
 */
export function procoreMappedFields(mapping: ProjectMapping, project: RawFields): RawFields {
  const out: RawFields = {};
  for (const field of mapping.fields) {
    const key = procoreReadPath(field).split('.')[0] ?? '';
    if (key in project) out[key] = project[key];
  }
  return out;
}

/** The Salesforce fields a full read of a record needs. */
export function salesforceFieldNames(mapping: ProjectMapping): string[] {
  return mapping.fields.map((f) => f.salesforce);
}

/** What one side's record translates to, field by field: the values, and each field that could not be, with why. */
export interface Translation {
  values: CanonicalFields;
  untranslatable: Record<string, string>;
}

/**
 * Like `fromSalesforce`/`fromProcore`, but a field whose value the mapping cannot translate (an unknown lookup
 * value, a value of the wrong type) is left out of `values` and named in `untranslatable` instead of failing the
 * whole record: the other fields can still be synced.
 */
export function translateLeniently(mapping: ProjectMapping, side: Side, record: RawFields): Translation {
  const out: Translation = { values: {}, untranslatable: {} };
  for (const field of mapping.fields) {
    const one = { ...mapping, fields: [field] };
    try {
      Object.assign(out.values, side === 'salesforce' ? fromSalesforce(one, record) : fromProcore(one, record));
    } catch (err) {
      out.untranslatable[field.name] = err instanceof Error ? err.message : String(err);
    }
  }
  return out;
}
