/** How workflows call the system-API activities: one task queue per system, bounded retries, then park. */
import type { ActivityOptions } from '@temporalio/workflow';
import { TASK_QUEUES } from './task-queues';

/** How long one system call keeps retrying before the workflow parks it (TANDEM_ACTIVITY_MAX_*). */
export interface ActivityRetryBudget {
  activityMaxAttempts: number;
  activityMaxIntervalMs: number;
}

export const DEFAULT_RETRY_BUDGET: ActivityRetryBudget = { activityMaxAttempts: 12, activityMaxIntervalMs: 30_000 };

const retry = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  maximumAttempts: 12,
} as const;

/** `options` with the deployment's budget; the defaults give the policy above, so existing histories are unchanged. */
export function withRetryBudget(options: ActivityOptions, budget: ActivityRetryBudget): ActivityOptions {
  const { activityMaxAttempts, activityMaxIntervalMs } = budget;
  const unchanged =
    activityMaxAttempts === DEFAULT_RETRY_BUDGET.activityMaxAttempts &&
    activityMaxIntervalMs === DEFAULT_RETRY_BUDGET.activityMaxIntervalMs;
  if (unchanged) return options;
  return {
    ...options,
    retry: { ...retry, maximumAttempts: activityMaxAttempts, maximumInterval: activityMaxIntervalMs },
  };
}

/**
 * One API call (plus a token refresh) fits well within this; a worker that dies mid-call is noticed after it, so
 * it is also how long a crashed worker delays that sync.
 */
const startToCloseTimeout = '15 seconds';

export const salesforceApiOptions: ActivityOptions = {
  taskQueue: TASK_QUEUES.salesforceApi,
  startToCloseTimeout,
  retry,
};
export const procoreApiOptions: ActivityOptions = { taskQueue: TASK_QUEUES.procoreApi, startToCloseTimeout, retry };

/**
 * Creating a Procore project: an attempt's requests all end before its start-to-close and heartbeat timeouts
 * (activities/procore/deadline.ts), so a retry never runs alongside the attempt it replaces.
 */
export const procoreCreateOptions: ActivityOptions = {
  taskQueue: TASK_QUEUES.procoreApi,
  startToCloseTimeout: '60 seconds',
  heartbeatTimeout: '25 seconds',
  retry,
};
