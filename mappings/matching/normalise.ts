/**
 * The match key as people mistype it: case, spacing and punctuation do not make another project.
 * `" P-2024/00017 "` and `p 2024 00017` are the same key; an empty key matches nothing.
 */
export function normaliseKey(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const key = String(value)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
  return key === '' ? null : key;
}
