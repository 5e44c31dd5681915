/**
 * When a batch waits to gather a burst: changes that arrive while a batch is writing are gathered for the coalescing
 * window before the next batch, so a burst of edits costs two writes, not one per edit; a change to an idle project
 * is taken at once. Tandem's own writes coming back (echoes) are no burst and never wait.
 *
 * Whether to wait is decided by the order of events (a change signalled while a batch ran), never by comparing the
 * workflow clock across workflow tasks: a worker that picks up, from the normal task queue, a workflow task of a run
 * it still has cached (its sticky task timed out while the worker stalled) runs that task with the clock of the task
 * before it, so a rule such as "wait out what is left of the window since the last batch" recorded a timer where
 * every replay took none, a nondeterminism error on the next worker (found by the 10-minute soak).
 */
import { sleep } from '@temporalio/workflow';

export class BurstWindow {
  private changedDuringBatch = false;

  constructor(private readonly windowMs: number) {}

  /** A change was queued; `batchRunning` says whether a batch was writing when it came. */
  noteChange(madeByTandem: boolean, batchRunning: boolean): void {
    if (batchRunning && !madeByTandem) this.changedDuringBatch = true;
  }

  /** Before a batch that is not only echoes: waits for the rest of a burst, if one is under way. */
  async gather(): Promise<void> {
    const burst = this.changedDuringBatch;
    this.changedDuringBatch = false;
    if (burst) await sleep(this.windowMs);
  }
}
