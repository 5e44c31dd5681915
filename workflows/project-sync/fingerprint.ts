/** A short, stable fingerprint of field values (FNV-1a over sorted JSON): cheap to store and compare in history. */
import type { CanonicalFields } from '../../mappings/types';

export function fingerprint(values: CanonicalFields): string {
  const text = JSON.stringify(
    Object.keys(values)
      .sort()
      .map((k) => [k, values[k]]),
  );
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
