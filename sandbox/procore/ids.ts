/** Identifier and time formats Procore uses on the wire. */
import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A 26-character ULID: 48 bits of milliseconds, then 80 random bits, in Crockford base 32. */
export function newUlid(now = Date.now()): string {
  let time = '';
  let ms = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[ms % 32] + time;
    ms = Math.floor(ms / 32);
  }
  const random = randomBytes(16);
  let rest = '';
  for (let i = 0; i < 16; i++) rest += CROCKFORD[random[i] % 32];
  return time + rest;
}

/** `2020-07-20T15:22:01.353581Z`: webhook timestamps carry microseconds. */
export function microTimestamp(now = Date.now()): string {
  const micros = String(Math.floor(Number(process.hrtime.bigint() % 1000n))).padStart(3, '0');
  return new Date(now).toISOString().replace('Z', `${micros}Z`);
}

/** `2017-10-23T21:19:34Z`: REST resources carry whole seconds. */
export function secondTimestamp(now = Date.now()): string {
  return new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const BIG_MARK = '\u0000bigint:';

/**
 * Webhook event ids exceed Number.MAX_SAFE_INTEGER, as real ones do. They are kept as decimal strings and written
 * as bare JSON numbers, so a receiver that uses plain JSON.parse sees the same precision loss it would with Procore.
 */
export function bigIntegerJson(value: unknown, bigKeys: ReadonlySet<string>): string {
  const text = JSON.stringify(value, (key, v: unknown) =>
    bigKeys.has(key) && typeof v === 'string' && /^\d+$/.test(v) ? BIG_MARK + v : v,
  );
  return text.replace(/"\\u0000bigint:(\d+)"/g, '$1');
}
