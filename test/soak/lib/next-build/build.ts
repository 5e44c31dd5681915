/**
 * The soak's "new build": the workflows bundled with the change in interceptors.ts, written where a deploy puts a
 * build, for the workers to run with TANDEM_WORKFLOW_BUNDLE after a rolling restart.
 */
import path from 'node:path';
import { writeWorkflowBundle } from '../../../../workers/temporal/workflow-bundle';

export async function buildNextBundle(dir: string): Promise<string> {
  return writeWorkflowBundle(path.join(dir, 'next-build', 'workflow-bundle.js'), [
    path.join(__dirname, 'interceptors.ts'),
  ]);
}
