/**
 * Values people type: one random, valid value for any mapped field, in canonical form (the mapping converts it to
 * each system's spelling). Text values carry a run-wide sequence number, so every text edit is unique and the
 * value found at the end tells which edit it came from.
 */
import { projectMapping, type CanonicalValue, type FieldMapping } from '../../../mappings';
import type { Random } from './random';

/** Procore keeps two-letter country codes; Salesforce allows more, so both sides take these. */
const COUNTRY_CODES = ['US', 'CA', 'GB', 'IE', 'DE', 'FR', 'AU', 'NZ'];
const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2024, 0, 1);

/** Text fields' own short forms, within both systems' lengths (City is 40, State Code 10, Postal Code 20). */
const TEXT_FORMS: Record<string, (n: number) => string> = {
  name: (n) => `Soak Project ${n}`,
  projectNumber: (n) => `P-${n}`,
  street: (n) => `${n} Market Street`,
  city: (n) => `c${n}`,
  stateCode: (n) => `s${n}`,
  postalCode: (n) => `z${n}`,
  description: (n) => `description ${n}`,
};

export const editableFields: readonly FieldMapping[] = projectMapping.fields;

/**
 * Whether every edit of the field carries a value of its own. Only then does a value tell which edit it came from:
 * a pick from a few (a boolean, a lookup, a country) may repeat what the field already holds, and a system records
 * no change, so no sync could see that edit.
 */
/** Equal as the comparison counts it: amounts to the cent. */
export const sameValue = (a: CanonicalValue, b: CanonicalValue): boolean =>
  a === b || (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) < 0.005);

export function valuesAreUnique(field: FieldMapping): boolean {
  if (field.type === 'text') return field.name !== 'countryCode';
  return field.type === 'date' || field.type === 'decimal';
}

export class ValueMaker {
  private sequence = 0;

  constructor(private readonly random: Random) {}

  make(field: FieldMapping): CanonicalValue {
    const r = this.random;
    switch (field.type) {
      case 'text': {
        if (field.name === 'countryCode') return r.pick(COUNTRY_CODES);
        const form = TEXT_FORMS[field.name] ?? ((n: number) => `t${n}`);
        return form(++this.sequence);
      }
      case 'date':
        return new Date(FIRST_DAY + r.int(7 * 365) * DAY_MS).toISOString().slice(0, 10);
      case 'decimal':
        return r.int(100_000_000) / 100;
      case 'boolean':
        return r.chance(0.5);
      case 'lookup':
        return r.pick(projectMapping.lookups[field.lookup ?? '']!.map((row) => row.salesforce));
    }
  }

  /** A value for every mapped field: what a project is created with. */
  full(): Record<string, CanonicalValue> {
    return Object.fromEntries(editableFields.map((field) => [field.name, this.make(field)]));
  }
}
