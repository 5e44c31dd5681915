/**
 * ProcoreReconcile: a singleton workflow that sweeps Procore every `everyMs` for projects updated since its cursor
 * and hands each linked one to its router as a webhook would, so a webhook Procore never delivered is not lost.
 * The cursor lives in the workflow and moves only when a sweep's activity succeeded (all its hand-offs accepted).
 */
import { log, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import { TASK_QUEUES } from '../task-queues';
import { continueAsNewOnTarget, targetVersionMoved } from '../versioning';
import type { ProcoreReconcileActivities, ProcoreReconcileInput } from './messages';

const { sweepProcoreProjects } = proxyActivities<ProcoreReconcileActivities>({
  taskQueue: TASK_QUEUES.procoreApi,
  startToCloseTimeout: '10 minutes',
  // A sweep on a worker that died is retried elsewhere soon, not after the whole start-to-close timeout.
  heartbeatTimeout: '20 seconds',
  // A sweep that cannot finish is retried a few times, then left to the next interval with the cursor unmoved.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/** Keeps each run's history short: a fresh run carries only the cursor. */
const SWEEPS_PER_RUN = 200;

export async function procoreReconcile(input: ProcoreReconcileInput): Promise<void> {
  let cursor = input.cursor ?? null;
  const moveOn = () => workflowInfo().continueAsNewSuggested || targetVersionMoved();
  for (let sweep = 0; sweep < SWEEPS_PER_RUN && !moveOn(); sweep++) {
    try {
      const result = await sweepProcoreProjects({ since: cursor, firstLookbackMs: input.everyMs });
      cursor = result.cursor;
    } catch (err) {
      log.warn('Procore sweep failed; the next one starts from the same cursor', { cursor, error: String(err) });
    }
    await sleep(input.everyMs);
  }
  await continueAsNewOnTarget<typeof procoreReconcile>({ ...input, cursor });
}
