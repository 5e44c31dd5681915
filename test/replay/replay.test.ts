/**
 * Recorded ProjectSync (and router, change stream) histories replayed against today's workflow code: a change
 * that would break running workflows (non-determinism) fails here. Record new ones with
 * `TANDEM_RECORD_HISTORIES=1 npx jest test/e2e` after a deliberate, versioned change.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundlePath } from '../../workers/temporal/workflow-bundle';

const DIR = path.join(__dirname, 'histories');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

describe('recorded workflow histories', () => {
  it('are there to replay', () => {
    expect(files.filter((f) => f.startsWith('project-sync-')).length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('%s replays without non-determinism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(DIR, file), 'utf8')));
    const workflowId = file.replace(/\.json$/, '');
    await Worker.runReplayHistory({ workflowBundle: { codePath: await workflowBundlePath() } }, history, workflowId);
  });
});
