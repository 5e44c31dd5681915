/**
 * The defect behind patch `window-by-arrival`, kept as its recorded history (10-minute soak, seed 4242). The sync
 * worker stalled right after a restart; the workflow task Temporal put on its sticky queue timed out unstarted and
 * went to the normal queue, where the same worker, which still had the run cached, took it. That task ran with the
 * workflow clock of the task before it, so the coalescing rule of the time (wait out what is left of the window since
 * the last batch ended, `Date.now()` read in two tasks) found no time gone and started a 200 ms timer. Every replay
 * reads the task's own time, 21 s later, takes no wait and schedules the batch's read: a nondeterminism error, and
 * the workflow task failed on every worker from then on while the state still said `synced`. Runs since the patch
 * decide to wait by the order of events (burst-window.ts); their histories replay in replay.test.ts
 * (`*.window-by-arrival.json`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundlePath } from '../../workers/temporal/workflow-bundle';

const STALE = path.join(__dirname, 'defects', 'project-sync.stale-clock-window.json');

describe('a workflow task a cached run took from the normal queue after its sticky task timed out', () => {
  it('recorded a coalescing timer that the replay, reading the right clock, does not start', async () => {
    const history = historyFromJSON(JSON.parse(readFileSync(STALE, 'utf8')));
    const events = history.events ?? [];
    const event = (id: number) => events.find((e) => Number(e.eventId) === id);
    const between = events.filter((e) => Number(e.eventId) > 190 && Number(e.eventId) < 195);
    // The recorded shape: task 190 timed out (195) without being started (the sticky queue's schedule-to-start
    // timeout); the same run's task from the normal queue (196, 197) started the 200 ms window timer (199).
    expect(event(190)?.workflowTaskScheduledEventAttributes).toBeDefined();
    expect(between.some((e) => e.workflowTaskStartedEventAttributes)).toBe(false);
    expect(event(195)?.workflowTaskTimedOutEventAttributes).toBeDefined();
    expect(event(197)?.workflowTaskStartedEventAttributes).toBeDefined();
    expect(Number(event(199)?.timerStartedEventAttributes?.startToFireTimeout?.nanos)).toBe(200_000_000);

    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: await workflowBundlePath() } }, history, 'stale-clock'),
    ).rejects.toThrow(/Activity machine does not handle this event: HistoryEvent\(id: 199, TimerStarted\)/);
  });
});
