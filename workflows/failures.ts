/** Which failures park a sync (the record cannot be synced now) and which are bugs that must fail the task. */
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import { TandemError } from '../common/errors';

export interface ParkReason {
  code: string;
  message: string;
  /** Whether the same sync may succeed later unchanged (a system unavailable) or waits for a new value. */
  retryable: boolean;
  /** The field the failing system named, when it named one. */
  field?: string;
}

export function parkReason(err: unknown): ParkReason | undefined {
  if (err instanceof TandemError)
    return { code: err.code, message: err.message, retryable: err.retryable, ...fieldOf(err.field) };
  if (!(err instanceof ActivityFailure)) return undefined;
  const cause = err.cause;
  if (cause instanceof ApplicationFailure)
    return {
      code: cause.type ?? 'TANDEM_ACTIVITY_FAILED',
      message: cause.message,
      retryable: !cause.nonRetryable,
      ...fieldOf(detailField(cause.details)),
    };
  if (cause instanceof TimeoutFailure)
    return { code: 'TANDEM_ACTIVITY_TIMEOUT', message: `${err.activityType} timed out`, retryable: true };
  return { code: 'TANDEM_ACTIVITY_FAILED', message: cause?.message ?? err.message, retryable: true };
}

function fieldOf(field: string | undefined): { field?: string } {
  return field ? { field } : {};
}

/** `toApplicationFailure` sends the field as `{ field }` in the failure's details. */
function detailField(details: unknown[] | undefined | null): string | undefined {
  const first: unknown = details?.[0];
  if (!first || typeof first !== 'object' || !('field' in first)) return undefined;
  return typeof first.field === 'string' ? first.field : undefined;
}
