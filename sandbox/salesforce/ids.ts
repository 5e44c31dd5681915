/** Salesforce-style record ids: 15 case-sensitive base-62 characters plus the 3-character case-insensitive suffix. */
import { randomUUID } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
/** The two "pod" characters after the key prefix; real orgs have their own, any fixed pair will do. */
const POD = '8d';

/** The suffix that makes a 15-character id case-insensitively unique: one character per 5-character chunk. */
export function checksumSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15.charAt(chunk * 5 + i);
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return suffix;
}

export function to18(id15: string): string {
  return id15 + checksumSuffix(id15);
}

/** Builds the 18-character id of record number `n` under a key prefix such as `a0X`, `005` or `00D`. */
export function makeId(keyPrefix: string, n: number): string {
  let digits = '';
  let rest = n;
  do {
    digits = BASE62.charAt(rest % 62) + digits;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  const body = digits.padStart(15 - keyPrefix.length - POD.length, '0');
  return to18(keyPrefix + POD + body);
}

/** Whether `id` is a well-formed 15- or 18-character id; 18-character ones must carry the right suffix. */
export function isValidId(id: string): boolean {
  if (!/^[0-9A-Za-z]{15}([0-9A-Za-z]{3})?$/.test(id)) return false;
  if (id.length === 15) return true;
  return checksumSuffix(id.slice(0, 15)) === id.slice(15).toUpperCase();
}

/** Salesforce accepts both id forms; records are keyed by the 18-character one. */
export function normalizeId(id: string): string {
  return id.length === 15 ? to18(id) : id.slice(0, 15) + id.slice(15).toUpperCase();
}

export const ORG_ID = makeId('00D', 1);
/** The "run as" user of the connected app: every API call (both grants) acts as this user. */
export const INTEGRATION_USER_ID = makeId('005', 1);
/** The person who edits records in the console; a different user, as in a real org. */
export const CONSOLE_USER_ID = makeId('005', 2);

/** A database transaction key as CDC shows it (UUID-shaped). */
export function newTransactionKey(): string {
  return randomUUID();
}
