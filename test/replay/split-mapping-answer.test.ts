/**
 * The defect behind patch `mapping-by-activity`, kept as its recorded history. The soak (a two-run workflow cache,
 * a loaded machine) recorded a ProjectSync whose local-activity answer `currentMapping` landed in history one
 * workflow task before the commands that follow it. Replaying that history resolves the answer early, before
 * Temporal has told the workflow which patches the next task recorded, so `patched('convergent-sync')` answers false
 * and the replay fails: the workflow task failed the same way on every worker after the first one. Runs started
 * since the patch ask by ordinary activity, whose answer always comes with its own workflow task; their histories
 * replay in replay.test.ts (`*.mapping-by-activity.json`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundlePath } from '../../workers/temporal/workflow-bundle';

const SPLIT = path.join(__dirname, 'defects', 'project-sync.local-mapping-answer-split.json');

describe('a mapping answered by local activity, split from the batch after it', () => {
  it('fails replay on the patch after it: the reason new runs ask by activity', async () => {
    const history = historyFromJSON(JSON.parse(readFileSync(SPLIT, 'utf8')));
    const events = history.events ?? [];
    const localAnswer = events.findIndex((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
    const nextTask = events.findIndex((e, i) => i > localAnswer && e.workflowTaskCompletedEventAttributes);
    // The recorded shape: the answer, then a new workflow task, then the batch's first patch marker.
    expect(localAnswer).toBeGreaterThan(0);
    expect(nextTask).toBeGreaterThan(localAnswer);
    expect(events[nextTask + 1]?.markerRecordedEventAttributes?.markerName).toBe('core_patch');

    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: await workflowBundlePath() } }, history, 'split'),
    ).rejects.toThrow(/patch marker encountered for change convergent-sync/);
  });
});
