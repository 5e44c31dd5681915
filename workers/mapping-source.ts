/**
 * The mapping the sync worker serves to workflows (activity `currentMapping`) and uses in its Procore
 * activities. When the file changed since it was loaded, it is loaded again on the next `currentMapping`, which is
 * what `tandem mapping apply` makes every running ProjectSync call; a file that no longer validates is refused and
 * the last good mapping stays in force.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { TandemConfig } from '../common/config';
import { errors, TandemError } from '../common/errors';
import type { Logger } from '../common/logger';
import type { ProjectMapping } from '../mappings/types';
import type { MappingActivities, VersionedMapping } from '../mappings/versioned';
import { loadResolvedMapping } from './mapping';

/** Equal mappings, equal versions: the digest of the resolved, validated mapping. */
export function mappingVersion(mapping: ProjectMapping): string {
  return createHash('sha256').update(JSON.stringify(mapping)).digest('hex').slice(0, 12);
}

export function versioned(mapping: ProjectMapping): VersionedMapping {
  return { version: mappingVersion(mapping), mapping };
}

export interface MappingSource {
  current(): VersionedMapping;
  refresh(): Promise<VersionedMapping>;
}

function stamp(file: string): string {
  try {
    const { mtimeMs, size } = statSync(file);
    return `${mtimeMs}:${size}`;
  } catch {
    return 'unreadable';
  }
}

/** Waits between tries while Procore does not answer, doubling up to this. */
const MAX_WAIT_MS = 30_000;

/**
 * Lookups written by Procore name need Procore to start: while it does not answer, the worker waits and says so
 * (as the ingress does for its webhook) rather than exiting; any other problem with the mapping stops the start.
 */
async function loadWhenProcoreAnswers(config: TandemConfig, file: string, logger: Logger): Promise<ProjectMapping> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await loadResolvedMapping(config, file);
    } catch (err) {
      if (!(err instanceof TandemError) || err.code !== errors.PROCORE_UNAVAILABLE.code) throw err;
      const waitMs = Math.min(MAX_WAIT_MS, 1000 * 2 ** Math.min(attempt - 1, 5));
      logger.warn({ file, err: err.message, waitMs }, 'mapping lookups by name wait for Procore');
      await delay(waitMs);
    }
  }
}

/** The mapping file as the worker loaded it, loaded again when it changes. */
export async function fileMappingSource(config: TandemConfig, file: string, logger: Logger): Promise<MappingSource> {
  let loadedStamp = stamp(file);
  let inForce = versioned(await loadWhenProcoreAnswers(config, file, logger));
  let reloading: Promise<VersionedMapping> | undefined;

  const reload = async (next: string): Promise<VersionedMapping> => {
    try {
      const mapping = versioned(await loadResolvedMapping(config, file));
      if (mapping.version !== inForce.version) logger.info({ file, version: mapping.version }, 'mapping reloaded');
      inForce = mapping;
    } catch (err) {
      logger.error({ file, err: (err as Error).message, version: inForce.version }, 'changed mapping refused');
    }
    loadedStamp = next;
    return inForce;
  };

  return {
    current: () => inForce,
    refresh: () => {
      const now = stamp(file);
      if (now === loadedStamp) return Promise.resolve(inForce);
      reloading ??= reload(now).finally(() => (reloading = undefined));
      return reloading;
    },
  };
}

/** A mapping that never changes: for workers built in tests. */
export function fixedMappingSource(mapping: ProjectMapping): MappingSource {
  const inForce = versioned(mapping);
  return { current: () => inForce, refresh: () => Promise.resolve(inForce) };
}

export function mappingActivities(source: MappingSource): MappingActivities {
  return { currentMapping: () => source.refresh() };
}
