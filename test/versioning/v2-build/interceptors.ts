/**
 * The test's v2 build: every run records a memo upsert before anything else, unconditionally (no `patched()`). A
 * v1 history replayed on this build fails as nondeterministic; Worker Versioning must keep the two apart.
 */
import { upsertMemo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export const V2_MEMO_KEY = 'tandemTestBuild';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      execute: (input, next) => {
        upsertMemo({ [V2_MEMO_KEY]: 'v2' });
        return next(input);
      },
    },
  ],
});
