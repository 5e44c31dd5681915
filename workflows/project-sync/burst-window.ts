/**
 * When a batch waits to gather a burst: changes that arrive while a batch is writing are gathered for the coalescing
 * window before the next batch, so a burst of edits costs two writes, not one per edit; a change to an idle project
 * is taken at once. Tandem's own writes coming back (echoes) are no burst and never wait.
 *
 * Patch `window-by-arrival`: whether to wait is decided by the order of events (a change signalled while a batch
 * ran), not by comparing the workflow clock across workflow tasks. The rule before it (wait out what is left of the
 * window since the last batch ended) read `Date.now()` in two workflow tasks; a worker that picked up, from the
 * normal task queue, a workflow task of a run it still had cached (its sticky task had timed out while the worker
 * stalled) ran that task with the clock of the task before it, waited, and recorded a timer where every replay takes
 * no wait: a nondeterminism error on the next worker (`test/replay/stale-clock-window.test.ts`).
 */
import { patched, sleep } from '@temporalio/workflow';

export const WINDOW_BY_ARRIVAL_PATCH = 'window-by-arrival';

export class BurstWindow {
  private lastBatchEndedAt = 0;
  private changedDuringBatch = false;

  constructor(private readonly windowMs: number) {}

  /** A change was queued; `batchRunning` says whether a batch was writing when it came. */
  noteChange(madeByTandem: boolean, batchRunning: boolean): void {
    if (batchRunning && !madeByTandem) this.changedDuringBatch = true;
  }

  /** Before a batch that is not only echoes: waits for the rest of a burst, if one is under way. */
  async gather(): Promise<void> {
    if (patched(WINDOW_BY_ARRIVAL_PATCH)) {
      const burst = this.changedDuringBatch;
      this.changedDuringBatch = false;
      if (burst) await sleep(this.windowMs);
      return;
    }
    const sinceLastBatch = Date.now() - this.lastBatchEndedAt;
    if (sinceLastBatch < this.windowMs) await sleep(this.windowMs - sinceLastBatch);
  }

  batchEnded(echoesOnly: boolean): void {
    if (!echoesOnly) this.lastBatchEndedAt = Date.now();
  }
}
