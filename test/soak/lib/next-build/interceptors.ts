/**
 * What the soak's "new build" changes in workflow code, built into its bundle as a workflow interceptor: every
 * workflow that takes a signal on the new build records a patch marker first. A marker is a new command, so the
 * change is made the safe way (docs/deploying.md): behind `patched()`, which is false when replaying a history
 * made before it, so a history written by the old build replays on the new one without a nondeterminism error.
 */
import { patched, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export const NEXT_BUILD_PATCH = 'tandem-soak-next-build';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      handleSignal: (input, next) => {
        patched(NEXT_BUILD_PATCH);
        return next(input);
      },
    },
  ],
});
