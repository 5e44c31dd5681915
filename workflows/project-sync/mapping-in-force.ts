/**
 * Which mapping a ProjectSync applies. A run takes the mapping its input carries (set by continue-as-new), else asks
 * the sync worker once with the activity `currentMapping`, whose answer lands in history, so editing the mapping file
 * never changes how a history replays. A `mappingChanged` signal makes it ask again; the answer is adopted between
 * two batches, never in the middle of one.
 *
 * An ordinary activity, not a local one: a local activity's answer can land in history one workflow task before the
 * commands that follow it (a run evicted from the cache while it ran), and a replay then resolves it early, out of
 * step with the commands recorded after it (found by the soak with a two-run cache).
 */
import { log, proxyActivities } from '@temporalio/workflow';
import type { ProjectMapping } from '../../mappings/types';
import type { MappingActivities, VersionedMapping } from '../../mappings/versioned';
import type { ProjectSyncModel } from './model';

/** On the workflow's own task queue: every sync worker serves it. */
const { currentMapping } = proxyActivities<MappingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** What a fresh run holds until the worker's answer comes: no fields, so nothing is pending or written. */
const NOT_YET_ASKED: ProjectMapping = { salesforceObject: 'Project__c', fields: [], lookups: {} };

export class MappingInForce {
  private asked: string | undefined;

  private constructor(private inForce: VersionedMapping | undefined) {}

  /** Before the first await of a run: the carried mapping, if any; `fetchIfNew` asks for one otherwise. */
  static at(carried: VersionedMapping | undefined): MappingInForce {
    return new MappingInForce(carried);
  }

  /** The mapping in force; none (no fields) only in a fresh run before `fetchIfNew` answered. */
  get mapping(): ProjectMapping {
    return this.inForce?.mapping ?? NOT_YET_ASKED;
  }

  get version(): string | undefined {
    return this.inForce?.version;
  }

  /** What continue-as-new carries, so that the next run need not ask. */
  get carried(): VersionedMapping | undefined {
    return this.inForce;
  }

  /** A fresh run (no carried mapping) asks the worker for its mapping. */
  async fetchIfNew(): Promise<VersionedMapping | undefined> {
    if (this.inForce) return undefined;
    this.inForce = await currentMapping();
    return this.inForce;
  }

  /** The `mappingChanged` signal: remembered until the loop is between batches. */
  ask(version: string): void {
    if (version === this.inForce?.version) return;
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
    if (served.version === this.inForce?.version) return undefined;
    log.info('Mapping changed', { from: this.inForce?.version, to: served.version });
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
