/**
 * Field values: checking what a client sends against the schema (as Salesforce's JSON deserializer does) and
 * formatting stored values for REST (datetimes end in `+0000`) and for change events (datetimes end in `Z`).
 */
import { sfErrors } from './errors';
import type { FieldSpec, ObjectSchema } from './schema';

export type FieldValue = string | number | boolean | null;
/** A stored record: canonical field name -> value; datetimes are ISO strings in UTC with a `Z`. */
export type RecordData = Record<string, FieldValue>;

/** Salesforce stores datetimes with second precision. */
export function nowSeconds(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000);
}

export function toRestDateTime(iso: string): string {
  return iso.replace(/Z$/, '+0000');
}

/** How the REST API shows a stored value of `field`. */
export function toRestValue(field: FieldSpec, value: FieldValue): FieldValue {
  if (field.type === 'datetime' && typeof value === 'string') return toRestDateTime(value);
  return value;
}

/** The JSON token names Salesforce's (Jackson-based) deserializer puts into its error messages. */
function jsonToken(value: unknown): string {
  if (Array.isArray(value)) return 'START_ARRAY';
  if (typeof value === 'object' && value !== null) return 'START_OBJECT';
  if (typeof value === 'string') return 'VALUE_STRING';
  if (typeof value === 'boolean') return value ? 'VALUE_TRUE' : 'VALUE_FALSE';
  if (typeof value === 'number') return Number.isInteger(value) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
  return 'VALUE_NULL';
}

function tokenText(value: unknown): string {
  if (Array.isArray(value)) return '[';
  if (typeof value === 'object' && value !== null) return '{';
  return String(value);
}

export function cannotDeserialize(typeName: string, value: unknown) {
  return sfErrors.JSON_PARSER_ERROR(
    `Cannot deserialize instance of ${typeName} from ${jsonToken(value)} value ${tokenText(value)} or request may be missing a required field`,
  );
}

function coerceText(field: FieldSpec, value: unknown): FieldValue {
  if (typeof value === 'number' || typeof value === 'boolean') return coerceText(field, String(value));
  if (typeof value !== 'string') throw cannotDeserialize(field.type, value);
  // Salesforce stores an empty text value as null.
  if (value === '') return null;
  const max = field.length ?? 255;
  if (value.length > max) throw sfErrors.STRING_TOO_LONG(field.label, value, max, field.name);
  if (field.type === 'picklist' && field.restrictedPicklist && !field.picklistValues?.includes(value)) {
    throw sfErrors.INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST(field.label, value, field.name);
  }
  return value;
}

function coerceBoolean(field: FieldSpec, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw cannotDeserialize(field.type, value);
}

export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

function coerceDate(field: FieldSpec, value: unknown): string {
  if (typeof value === 'string' && isCalendarDate(value)) return value;
  throw cannotDeserialize(field.type, value);
}

function coerceCurrency(field: FieldSpec, value: unknown): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) throw cannotDeserialize(field.type, value);
  const scale = field.scale ?? 0;
  const rounded = Math.round(number * 10 ** scale) / 10 ** scale;
  const integerDigits = Math.trunc(Math.abs(rounded)).toString().length;
  if (integerDigits > (field.precision ?? 18) - scale) {
    throw sfErrors.NUMBER_OUTSIDE_VALID_RANGE(field.label, String(value), field.name);
  }
  return rounded;
}

/** Checks one incoming value for `field` and returns the value to store. */
export function coerceValue(field: FieldSpec, value: unknown): FieldValue {
  // A checkbox is never null in Salesforce: clearing it stores false.
  if (value === null) return field.type === 'boolean' ? false : null;
  switch (field.type) {
    case 'boolean':
      return coerceBoolean(field, value);
    case 'date':
      return coerceDate(field, value);
    case 'currency':
      return coerceCurrency(field, value);
    case 'string':
    case 'textarea':
    case 'picklist':
      return coerceText(field, value);
    default:
      throw cannotDeserialize(field.type, value);
  }
}

/**
 * Turns a request body into canonical field values, rejecting what Salesforce rejects: a body that is not an
 * object, unknown fields and fields the sandbox maintains. `Id` equal to `ownId` is tolerated on updates.
 */
export function parseRecordInput(schema: ObjectSchema, body: unknown, ownId?: string): RecordData {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw cannotDeserialize(schema.name, body);
  const out: RecordData = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'attributes') continue;
    const field = schema.field(key);
    if (!field) throw sfErrors.INVALID_FIELD(key, schema.name);
    if (field.name === 'Id' && ownId !== undefined && value === ownId) continue;
    if (field.system) throw sfErrors.INVALID_FIELD_FOR_INSERT_UPDATE(field.name);
    out[field.name] = coerceValue(field, value);
  }
  return out;
}
