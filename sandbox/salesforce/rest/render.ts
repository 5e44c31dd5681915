/** Records as the REST API shows them: `attributes` first, then the fields, datetimes in `+0000` form. */
import type { FieldSpec, ObjectSchema } from '../schema';
import { toRestValue, type FieldValue, type RecordData } from '../values';

export interface RestRecord {
  attributes: { type: string; url: string };
  [field: string]: FieldValue | { type: string; url: string };
}

export function recordUrl(schema: ObjectSchema, version: string, id: string): string {
  return `/services/data/v${version}/sobjects/${schema.name}/${id}`;
}

/** `fields` limits the output (in that order); without it every field of the schema is shown. */
export function renderRecord(
  schema: ObjectSchema,
  version: string,
  record: RecordData,
  fields?: FieldSpec[],
): RestRecord {
  const out: RestRecord = { attributes: { type: schema.name, url: recordUrl(schema, version, String(record.Id)) } };
  for (const field of fields ?? schema.fields) out[field.name] = toRestValue(field, record[field.name] ?? null);
  return out;
}
