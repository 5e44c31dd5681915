/**
 * Which mapping a ProjectSync applies (patch `mapping-as-data`). A run takes the mapping its input carries (set by
 * continue-as-new), else asks the sync worker once with the activity `currentMapping` (a local activity before patch
 * `mapping-by-activity`), whose answer lands in history. A `mappingChanged` signal makes it ask again; the answer is
 * adopted between two batches, never in the middle of one. Runs recorded before the patch keep the mapping that was
 * compiled into their bundle then.
 */
import { log, patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import compiled from '../../mappings/compiled-before-mapping-as-data.json';
import type { ProjectMapping } from '../../mappings/types';
import type { MappingActivities, VersionedMapping } from '../../mappings/versioned';
import type { ProjectSyncModel } from './model';

export const MAPPING_AS_DATA = 'mapping-as-data';
const COMPILED: VersionedMapping = { version: 'compiled', mapping: compiled as ProjectMapping };

const askOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
} as const;
const { currentMapping: askLocally } = proxyLocalActivities<MappingActivities>(askOptions);
/** On the workflow's own task queue: every sync worker serves it. */
const { currentMapping: askByActivity } = proxyActivities<MappingActivities>(askOptions);

/**
 * Patch `mapping-by-activity`: the worker is asked with an ordinary activity. A local activity's answer can land in
 * history one workflow task before the commands that follow it (a run evicted from the cache while it ran), and a
 * replay then resolves it early, before Temporal has told the workflow the patches of the next task: every
 * `patched()` right after it answered false, a nondeterminism error (found by the soak with a two-run cache).
 */
export const MAPPING_BY_ACTIVITY = 'mapping-by-activity';

function currentMapping(): Promise<VersionedMapping> {
  return patched(MAPPING_BY_ACTIVITY) ? askByActivity() : askLocally();
}

export class MappingInForce {
  private asked: string | undefined;

  private constructor(private inForce: VersionedMapping) {}

  /** Before the first await of a run: the carried mapping, or the compiled one until `fetchIfNew` replaces it. */
  static at(carried: VersionedMapping | undefined): MappingInForce {
    return new MappingInForce(carried ?? COMPILED);
  }

  get current(): VersionedMapping {
    return this.inForce;
  }

  /** What continue-as-new carries: nothing from a run on the compiled mapping, so the next run asks the worker. */
  get carried(): VersionedMapping | undefined {
    return this.inForce === COMPILED ? undefined : this.inForce;
  }

  /** A fresh run (no carried mapping) asks the worker for its mapping; histories from before the patch do not. */
  async fetchIfNew(carried: VersionedMapping | undefined): Promise<VersionedMapping | undefined> {
    if (carried || !patched(MAPPING_AS_DATA)) return undefined;
    this.inForce = await currentMapping();
    return this.inForce;
  }

  /** The `mappingChanged` signal: remembered until the loop is between batches. */
  ask(version: string): void {
    if (version === this.inForce.version || !patched(MAPPING_AS_DATA)) return;
    this.asked = version;
  }

  get wasAsked(): boolean {
    return this.asked !== undefined;
  }

  /** Between batches: the worker's mapping, if asked; returns it when it differs from the one in force. */
  async adoptIfAsked(): Promise<VersionedMapping | undefined> {
    const asked = this.asked;
    if (asked === undefined) return undefined;
    this.asked = undefined;
    const served = await currentMapping();
    // The worker serves its file; one not yet given the applied file answers with another version.
    if (served.version !== asked)
      log.warn('The sync worker serves another mapping than the one applied', { asked, served: served.version });
    if (served.version === this.inForce.version) return undefined;
    log.info('Mapping changed', { from: this.inForce.version, to: served.version });
    this.inForce = served;
    return served;
  }
}

/** Adopts an asked-for mapping between batches; a parked sync tries again under it (it may be what was fixed). */
export async function adoptAskedMapping(mappings: MappingInForce, model: ProjectSyncModel): Promise<void> {
  const changed = await mappings.adoptIfAsked();
  if (!changed) return;
  model.useMapping(changed.mapping);
  if (model.state.status === 'error') model.enqueue({ kind: 'resync', request: { reason: 'mapping changed' } });
}
