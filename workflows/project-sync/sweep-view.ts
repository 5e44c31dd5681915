/**
 * The sweeps' view of a ProjectSync (`SweepView`), drawn from its state; the sync keeps it in its memo, read by the
 * sweeps through describe. A query to a sync not in the worker's cache made the
 * worker replay its whole history, and with the cache full the SDK (1.24) could lose the query's or the task's
 * activation and stall the run (bench/README.md, "A sync worker that stopped polling").
 */
import type { CanonicalFields } from '../../mappings/types';
import type { ProjectSyncState, SideView, SweepView } from './messages';

/** The memo's key. */
export const SWEEP_VIEW_MEMO_KEY = 'sweepView';

function newestStamp(seen: SideView | null | undefined): number | null {
  if (!seen) return null;
  return Math.max(seen.at, ...Object.values(seen.changedAt));
}

function unblockedValues(state: ProjectSyncState): CanonicalFields | null {
  const seen = state.convergence?.seen.procore;
  if (!seen) return null;
  const blocked = state.convergence?.blocked ?? {};
  return Object.fromEntries(Object.entries(seen.values).filter(([name]) => !blocked[name]));
}

export function sweepViewOf(state: ProjectSyncState): SweepView {
  return {
    procoreProjectId: state.link.procoreProjectId,
    linkEnded: Boolean(state.link.ended),
    deletedInSalesforce: state.deletedInSalesforce,
    seenAt: {
      salesforce: newestStamp(state.convergence?.seen.salesforce),
      procore: newestStamp(state.convergence?.seen.procore),
    },
    procoreValues: unblockedValues(state),
  };
}

const isStamp = (value: unknown) => value === null || typeof value === 'number';

/** A memo's sweep view, checked: a run that has published none yet has none (the sweeps then ask the sync). */
export function sweepViewInMemo(memo: Record<string, unknown> | undefined): SweepView | undefined {
  const value = memo?.[SWEEP_VIEW_MEMO_KEY];
  if (typeof value !== 'object' || value === null) return undefined;
  const view = value as Partial<SweepView>;
  const wellFormed =
    (view.procoreProjectId === null || typeof view.procoreProjectId === 'string') &&
    typeof view.linkEnded === 'boolean' &&
    typeof view.deletedInSalesforce === 'boolean' &&
    typeof view.seenAt === 'object' &&
    view.seenAt !== null &&
    isStamp(view.seenAt.salesforce) &&
    isStamp(view.seenAt.procore) &&
    (view.procoreValues === null || typeof view.procoreValues === 'object');
  return wellFormed ? (view as SweepView) : undefined;
}
