/**
 * What every part of the sync rules works on: the sync's state, its convergence state (Tandem's views of both
 * systems and what it keeps to read events by), the mapping and the merge settings. Shared helpers for times and
 * bounded lists live here too.
 */
import type { ProjectMapping } from '../../../mappings/types';
import type { MergeSettings } from '../merge';
import type { ConvergenceState, ProjectSyncState } from '../messages';

export interface RulesContext {
  readonly state: ProjectSyncState;
  readonly conv: ConvergenceState;
  readonly mapping: ProjectMapping;
  readonly settings: MergeSettings;
  /**
   * The times (whole seconds, Procore's clock) of the people's Procore webhooks Tandem holds for the linked project,
   * in this batch and queued behind it; none outside a batch.
   */
  procoreNews(): number[];
}

/** More unechoed writes than this means echoes are being lost; the oldest are forgotten (costing a read each). */
export const IN_FLIGHT_LIMIT = 20;
/** People's edits and echoes remembered to spot a same-second overwrite; such pairs arrive close together. */
const RECENT_LIMIT = 50;

const SECOND = 1000;

export function convergenceOf(state: ProjectSyncState): ConvergenceState {
  state.convergence ??= { seen: { salesforce: null, procore: null }, inFlight: [] };
  return state.convergence;
}

/** Salesforce's LastModifiedDate and If-Unmodified-Since have whole seconds. */
export function secondOf(epochMs: number): number {
  return Math.floor(epochMs / SECOND) * SECOND;
}

/** Appends to a list kept to the most recent `RECENT_LIMIT` items. */
export function remember<T>(list: T[] | undefined, item: T): T[] {
  const next = [...(list ?? []), item];
  return next.length > RECENT_LIMIT ? next.slice(next.length - RECENT_LIMIT) : next;
}

export function fieldNamed(ctx: RulesContext, name: string) {
  return ctx.mapping.fields.find((field) => field.name === name);
}
