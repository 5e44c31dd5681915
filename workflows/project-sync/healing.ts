/**
 * When a parked sync tries again by itself. A system that was unavailable is retried with a doubling delay up to a
 * cap, so an outage of any length heals without costing the system a storm of reads when it returns; a rejected
 * value is checked again rarely, since only a change (which wakes the sync at once) is expected to fix it.
 */
import type { ParkReason } from '../failures';
import type { ParkedSync, ProjectSyncSettings } from './messages';

type RetrySettings = Pick<ProjectSyncSettings, 'retryFirstDelayMs' | 'retryMaxDelayMs' | 'recheckRejectedMs'>;

/** The delay before retry number `retries + 1`. */
export function retryDelayMs(reason: Pick<ParkReason, 'retryable'>, retries: number, settings: RetrySettings): number {
  if (!reason.retryable) return settings.recheckRejectedMs;
  // Bounded exponent: past 2^20 the cap has long been reached.
  return Math.min(settings.retryMaxDelayMs, settings.retryFirstDelayMs * 2 ** Math.min(retries, 20));
}

/**
 * The parked state after a failed sync (`at` is this failure): the count goes on from an earlier park, since the
 * record has not synced in between.
 */
export function parkedAfter(
  previous: ParkedSync | null,
  reason: ParkReason,
  now: number,
  settings: RetrySettings,
): ParkedSync {
  const retries = previous ? (previous.retries ?? 0) + 1 : 0;
  return {
    code: reason.code,
    message: reason.message,
    ...(reason.field ? { field: reason.field } : {}),
    retryable: reason.retryable,
    at: now,
    retries,
    nextRetryAt: now + retryDelayMs(reason, retries, settings),
  };
}
