/**
 * How each workflow type runs under Worker Versioning (docs/deploying.md), declared in one place, and the helpers
 * the long-lived workflows use to move onto a new Deployment Version.
 *
 * Every type is PINNED: a run stays on the build that started it, so a workflow change ships as a new version
 * without `patched()`, and a run's history is only ever replayed by the code that wrote it. Tandem's workflows live
 * as long as their project, so the long-lived ones do not wait to end: when Temporal tells a run that its target
 * version moved (`targetWorkerDeploymentVersionChanged`, after a ramp or a promotion, and after a rollback), the run
 * continues as new with `initialVersioningBehavior: 'AUTO_UPGRADE'`, and the next run starts on the target version
 * (then pinned to it), carrying the state and the undrained queue. A run learns this only in a workflow task:
 * `tandem deploy promote|ramp|nudge` signals `versionCheck` to the idle ones.
 */
import {
  defineSignal,
  makeContinueAsNewFunc,
  setHandler,
  setWorkflowOptions,
  workflowInfo,
  type Workflow,
} from '@temporalio/workflow';
import type { VersioningBehavior } from '@temporalio/common';

export type WorkflowName = 'projectSync' | 'procoreProjectRouter' | 'salesforceChangeStream' | 'backfill' | 'reconcile';

export const VERSIONING: Record<WorkflowName, VersioningBehavior> = {
  // Runs for ever. Moves at its next workflow task after the target moved: before its next batch (the batch then
  // runs on the new build; one already started finishes on the old), on a parked retry's timer, or on versionCheck.
  projectSync: 'PINNED',
  // Runs for ever. Routes what it already holds, then moves at the next task (a webhook, versionCheck).
  procoreProjectRouter: 'PINNED',
  // Runs for ever, inside one CDC activity of up to an hour: moves when that activity returns, so the old
  // version's CDC worker serves it until then. A signal cannot move it sooner (the activity holds the cursor).
  salesforceChangeStream: 'PINNED',
  // Runs for hours at most and continues as new every few batches: moves at the next one.
  backfill: 'PINNED',
  // One sweep started by a schedule: finishes where it started, the next run starts on the Current Version.
  reconcile: 'PINNED',
};

/** The workflow types that handle versionCheck: the others move on their own within their interval. */
export const NUDGED_TYPES: WorkflowName[] = ['projectSync', 'procoreProjectRouter'];

/** Sent to idle runs after a ramp or promotion: a workflow task in which they learn that their target moved. */
export const versionCheck = defineSignal('tandemVersionCheck');

/** The handler does nothing: the task it brings is the point (the main loop re-checks `targetVersionMoved`). */
export function acceptVersionChecks(): void {
  setHandler(versionCheck, () => undefined);
}

/** False for every history recorded without Worker Versioning, so replaying one takes no new branch. */
export function targetVersionMoved(): boolean {
  return workflowInfo().targetWorkerDeploymentVersionChanged === true;
}

/** `continueAsNew`, onto the target version when it moved (the next run's first task goes there). */
export function continueAsNewOnTarget<F extends Workflow>(...args: Parameters<F>): Promise<never> {
  const options = targetVersionMoved() ? { initialVersioningBehavior: 'AUTO_UPGRADE' as const } : {};
  return makeContinueAsNewFunc<F>(options)(...args);
}

/** Called by the bundle's entry point (workflows/index.ts) on every workflow it exports. */
export function declareVersioning(workflows: Record<WorkflowName, Workflow>): void {
  for (const [name, fn] of Object.entries(workflows) as [WorkflowName, Workflow][])
    setWorkflowOptions({ versioningBehavior: VERSIONING[name] }, fn);
}
