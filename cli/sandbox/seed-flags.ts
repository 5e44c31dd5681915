/** `--seed N [--seed-size M]`: pre-existing data generated from a seed (both sandboxes given the same N agree). */
import type { SeedOptions } from '../../sandbox/seed/world';
import { integerFlag } from './runner';

export const SEED_FLAGS = ['seed', 'seed-size'];
export const SEED_USAGE = '[--seed N [--seed-size RECORDS]]';

export function seedOption(extra: Record<string, string | undefined>): SeedOptions | undefined {
  const seed = integerFlag(extra.seed, '--seed');
  const size = integerFlag(extra['seed-size'], '--seed-size');
  if (seed === undefined) {
    if (size !== undefined) throw new Error('--seed-size needs --seed');
    return undefined;
  }
  return { seed, size };
}
