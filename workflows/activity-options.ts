/** How workflows call the system-API activities: one task queue per system, bounded retries, then park. */
import type { ActivityOptions } from '@temporalio/workflow';
import { TASK_QUEUES } from './task-queues';

const retry = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  maximumAttempts: 12,
} as const;

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
