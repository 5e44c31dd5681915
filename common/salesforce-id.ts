/**
 * Salesforce record ids come in two forms: 15 characters, case-sensitive, and 18 characters, the same id with a
 * three-character suffix that encodes the case of the first 15, so the 18-character form survives case-insensitive
 * handling. Tandem keys workflows, origin_ids and logs by the 18-character form, and every id that enters Tandem
 * (operator API, CLI, change events, Procore origin_id) passes through `toSalesforceId18` first. Pure: workflow
 * code uses it too.
 */
/** A 15- or 18-character id, as a JSON-schema pattern (route schemas use it too). */
export const SALESFORCE_ID_PATTERN = '^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$';
const ID = new RegExp(SALESFORCE_ID_PATTERN);
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export function isSalesforceId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}

/** The suffix character of one five-character chunk: bit i is set when character i is an upper-case letter. */
function suffixOf(chunk: string): string {
  let bits = 0;
  for (let i = 0; i < chunk.length; i++) if (chunk[i] >= 'A' && chunk[i] <= 'Z') bits |= 1 << i;
  return SUFFIX_ALPHABET[bits];
}

/**
 * The 18-character form of a 15- or 18-character id, or null if the value is not an id (an 18-character one whose
 * suffix does not match its first 15). The suffix is compared without case, as Salesforce does.
 */
export function toSalesforceId18(value: unknown): string | null {
  if (!isSalesforceId(value)) return null;
  const id15 = value.slice(0, 15);
  const id18 = id15 + suffixOf(id15.slice(0, 5)) + suffixOf(id15.slice(5, 10)) + suffixOf(id15.slice(10, 15));
  if (value.length === 18 && value.slice(15).toUpperCase() !== id18.slice(15)) return null;
  return id18;
}
