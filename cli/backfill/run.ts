/** Runs (or follows) the backfill workflow and shows its progress as a bar on the terminal. */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { SingleBar, Presets } from 'cli-progress';
import { backfill } from '../../workflows/backfill/backfill';
import {
  BACKFILL_WORKFLOW_ID,
  backfillProgressQuery,
  type BackfillAction,
  type BackfillProgress,
} from '../../workflows/backfill/messages';
import { TASK_QUEUES } from '../../workflows/task-queues';

const POLL_MS = 500;

/** The running backfill, if there is one: a second `tandem backfill` follows it rather than starting another. */
export async function runningBackfill(client: Client): Promise<WorkflowHandle<typeof backfill> | undefined> {
  const handle = client.workflow.getHandle<typeof backfill>(BACKFILL_WORKFLOW_ID);
  try {
    const { status } = await handle.describe();
    return status.name === 'RUNNING' ? handle : undefined;
  } catch {
    return undefined;
  }
}

export async function startBackfill(client: Client, actions: BackfillAction[], batchSize?: number) {
  return client.workflow.start(backfill, {
    workflowId: BACKFILL_WORKFLOW_ID,
    taskQueue: TASK_QUEUES.sync,
    args: [{ actions, batchSize }],
    memo: { progress: `0/${actions.length}` },
  });
}

/** Follows the workflow to its end (across continue-as-new), drawing a bar; returns its final progress. */
export async function follow(
  handle: WorkflowHandle<typeof backfill>,
  out: NodeJS.WriteStream,
): Promise<BackfillProgress> {
  const bar = new SingleBar(
    { stream: out, format: 'backfill [{bar}] {value}/{total} records | {eta_formatted} left' },
    Presets.shades_classic,
  );
  const result = handle.result();
  let finished = false;
  const settled = result.then(
    () => (finished = true),
    () => (finished = true),
  );
  let started = false;
  // One query at a time, and none once the result is in: the connection closes right after.
  while (!finished) {
    try {
      const progress = await handle.query(backfillProgressQuery);
      if (!started) bar.start(progress.total, progress.done);
      started = true;
      bar.update(progress.done);
    } catch {
      // Between runs (continue-as-new) a query can miss; the next poll asks again.
    }
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, POLL_MS))]);
  }
  try {
    const progress = await result;
    if (started) bar.update(progress.done);
    return progress;
  } finally {
    bar.stop();
  }
}
