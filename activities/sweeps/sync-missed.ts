/**
 * The one rule both sweeps follow: a record is handed to its ProjectSync only when the system changed it after the
 * state the sync last saw.
 */
import { SYNC_BUSY, type SyncViewAnswer } from './types';

/**
 * Whether a ProjectSync has not yet seen a system's state stamped `changedAt` (that system's own clock, epoch ms):
 * no sync yet, or its view of that system is older, to the second (the systems' stamps are whole seconds). A view
 * is as new as its last read or the newest change event applied without one. (The view does not say whether changes
 * wait in the sync's queue: such a sync is handed the change too, which costs one read at most.)
 */
export function syncMissed(
  view: SyncViewAnswer,
  side: 'salesforce' | 'procore',
  changedAt: number,
  deleted = false,
): boolean {
  if (!view || view === SYNC_BUSY) return true;
  // A sync whose link has ended reads nothing more: it needs no signal.
  if (view.linkEnded) return false;
  if (side === 'salesforce' && deleted) return !view.deletedInSalesforce;
  const seen = view.seenAt[side];
  if (seen === null) return true;
  return wholeSecond(seen) < wholeSecond(changedAt);
}

function wholeSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
