/** Which failures park a sync (the record cannot be synced now) and which are bugs that must fail the task. */
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import { TandemError } from '../common/errors';

export interface ParkReason {
  code: string;
  message: string;
}

export function parkReason(err: unknown): ParkReason | undefined {
  if (err instanceof TandemError) return { code: err.code, message: err.message };
  if (!(err instanceof ActivityFailure)) return undefined;
  const cause = err.cause;
  if (cause instanceof ApplicationFailure)
    return { code: cause.type ?? 'TANDEM_ACTIVITY_FAILED', message: cause.message };
  if (cause instanceof TimeoutFailure)
    return { code: 'TANDEM_ACTIVITY_TIMEOUT', message: `${err.activityType} timed out` };
  return { code: 'TANDEM_ACTIVITY_FAILED', message: cause?.message ?? err.message };
}
