/**
 * What the soak's "new build" changes in workflow code, built into its bundle as a workflow interceptor: every
 * workflow that takes a signal on the new build records a patch marker first. Under Worker Versioning a new build
 * needs no patch where its runs only ever replay their own build's history; on Temporal 1.29.1 the rollout moves the
 * open runs with a pinned override (cluster-events.ts, docs/deploying.md), so the new build replays histories the
 * old one wrote, and the change must be one they replay: behind `patched()`, false while replaying a history made
 * before it. The marker is written only by the new build executing a signal anew, so a history that carries it is
 * the evidence that the new build ran.
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
