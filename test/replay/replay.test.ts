/**
 * Recorded histories, one per workflow type and per path that matters, replayed against today's workflow code: a
 * change that would break the runs a build serves (non-determinism) fails here. Under Worker Versioning a run is only
 * replayed by the build that started it (docs/deploying.md), so a deliberate workflow change ships as a new build
 * and the fixtures are recorded again from it: `TANDEM_RECORD_HISTORIES=1 npx jest test/e2e test/backfill/backfill.e2e
 * test/sync/project-sync.workflow` (each e2e file names the fixtures it writes).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundlePath } from '../../workers/temporal/workflow-bundle';

const DIR = path.join(__dirname, 'histories');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

/** Created each way, edited each way, conflicts, park and heal, deletes each way, adoption, hand-offs, changes. */
const PATHS = [
  'project-sync.lifecycle',
  'project-sync.born-in-procore',
  'project-sync.same-field-conflict',
  'project-sync.park-and-heal',
  'project-sync.deleted-in-salesforce',
  'project-sync.deleted-in-procore',
  'project-sync.adoption',
  'project-sync.backfill-handoff',
  'project-sync.mapping-change',
  'project-sync.continued-by-bound',
  'procore-router.linked',
  'procore-router.born-in-procore',
  'procore-router.project-not-found',
  'change-stream',
  'backfill',
  'reconcile',
];

describe('recorded workflow histories', () => {
  it('cover every workflow type and every path that matters', () => {
    expect(files.map((f) => f.replace(/\.json$/, ''))).toEqual(expect.arrayContaining(PATHS));
  });

  it.each(files)('%s replays without non-determinism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(DIR, file), 'utf8')));
    const workflowId = file.replace(/\.json$/, '');
    await Worker.runReplayHistory({ workflowBundle: { codePath: await workflowBundlePath() } }, history, workflowId);
  });
});
