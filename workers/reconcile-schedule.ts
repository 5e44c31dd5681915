/**
 * The Temporal Schedules that drive the reconciliation, made sure of at every CDC-worker start: created when
 * missing, brought to the current interval when present (so a changed TANDEM_RECONCILE_EVERY takes effect), never
 * duplicated.
 */
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import type { Logger } from '../common/logger';
import {
  FULL_RECONCILE_SCHEDULE_ID,
  RECONCILE_SCHEDULE_ID,
  type ReconcileInput,
} from '../workflows/reconcile/messages';
import { reconcile } from '../workflows/reconcile/reconcile';
import { TASK_QUEUES } from '../workflows/task-queues';

const DAY_MS = 24 * 3_600_000;

function scheduleOptions(scheduleId: string, everyMs: number, input: ReconcileInput): ScheduleOptions {
  return {
    scheduleId,
    spec: { intervals: [{ every: everyMs }] },
    action: {
      type: 'startWorkflow',
      workflowType: reconcile,
      // Temporal appends the scheduled time, so each run has its own id.
      workflowId: scheduleId,
      taskQueue: TASK_QUEUES.sync,
      args: [input],
    },
    // A sweep still running when the next is due: the next is skipped, never run alongside.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: Math.max(60_000, everyMs) },
  };
}

async function ensureSchedule(client: Client, options: ScheduleOptions, logger: Logger): Promise<void> {
  try {
    await client.schedule.create(options);
    logger.info({ scheduleId: options.scheduleId }, 'created the reconciliation schedule');
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule
      .getHandle(options.scheduleId)
      .update((previous) => ({ ...previous, spec: options.spec, action: options.action, policies: options.policies }));
  }
}

export async function ensureReconcileSchedules(client: Client, everyMs: number, logger: Logger): Promise<void> {
  await ensureSchedule(client, scheduleOptions(RECONCILE_SCHEDULE_ID, everyMs, { everyMs, full: false }), logger);
  await ensureSchedule(
    client,
    scheduleOptions(FULL_RECONCILE_SCHEDULE_ID, DAY_MS, { everyMs: DAY_MS, full: true }),
    logger,
  );
}
