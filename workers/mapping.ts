/**
 * The mapping a process starts with: the file, its lookups written by Procore name resolved to the company's ids
 * through the Procore API (only when a row names one), then validated. A name that resolves to nothing stops the
 * start with the table and the name.
 */
import { readFileSync } from 'node:fs';
import type { TandemConfig } from '../common/config';
import { errors } from '../common/errors';
import { readProcoreCatalogs } from '../activities/procore/catalogs';
import { hasNamedLookups, resolveLookupNames } from '../mappings/lookup-names';
import type { ProjectMapping } from '../mappings/types';
import { DEFAULT_MAPPING_FILE, validateMapping } from '../mappings/validate';
import { procoreClient } from './systems';

export async function loadResolvedMapping(config: TandemConfig, file = DEFAULT_MAPPING_FILE): Promise<ProjectMapping> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw errors.MAPPING_INVALID(file, (err as Error).message);
  }
  if (!hasNamedLookups(raw)) return validateMapping(raw, file);
  const { mapping, problems } = resolveLookupNames(raw, await readProcoreCatalogs(procoreClient(config)));
  if (problems.length > 0) throw errors.MAPPING_INVALID(file, problems.join('; '));
  return validateMapping(mapping, file);
}
