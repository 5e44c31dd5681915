/** How workflows call the system-API activities: one task queue per system, bounded retries, then park. */
import type { ActivityOptions } from '@temporalio/workflow';
import { TASK_QUEUES } from './task-queues';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 12 } as const;

export const salesforceApiOptions: ActivityOptions = { taskQueue: TASK_QUEUES.salesforceApi, startToCloseTimeout: '30 seconds', retry };
export const procoreApiOptions: ActivityOptions = { taskQueue: TASK_QUEUES.procoreApi, startToCloseTimeout: '30 seconds', retry };
