/**
 * What a worker does about its deployment's Current Version at start (TANDEM_CURRENT_VERSION). A versioned worker
 * gets no task until its version is current or ramping, so a fresh deployment needs one: by default the first
 * version becomes current by itself; after that a rollout is the operator's step (`tandem deploy promote`).
 */
import type { Client } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import type { TandemConfig } from '../../common/config';
import type { Logger } from '../../common/logger';
import { errors } from '../../common/errors';
import { type DeploymentVersion, versionName } from './deployment-version';
import { describeDeployment, type DeploymentState, setCurrentVersion } from './deployments';

const PINNED = proto.api.workflow.v1.VersioningOverride.PinnedOverrideBehavior.PINNED_OVERRIDE_BEHAVIOR_PINNED;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The server learns a version from its workers' first polls: wait until it lists this one. */
async function registered(client: Client, version: DeploymentVersion, timeoutMs: number): Promise<DeploymentState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await describeDeployment(client, version.deploymentName);
    if (state?.versions.some((v) => v.buildId === version.buildId)) return state;
    if (Date.now() > deadline)
      throw errors.DEPLOYMENT_VERSION_UNKNOWN(versionName(version), 'is the server Temporal 1.29.1 or newer?');
    await sleep(200);
  }
}

/**
 * `take-over` (the one-process `tandem start`): open runs pinned to an older build of the deployment, whose
 * workers went with the previous process, are pinned to this one. They then replay on this build, as before
 * Worker Versioning: a change they cannot replay needs `patched()` or a fresh DATA_DIR.
 */
async function takeOverPinned(client: Client, version: DeploymentVersion, logger: Logger): Promise<void> {
  const query = `ExecutionStatus = "Running" AND TemporalWorkerDeployment = "${version.deploymentName}"`;
  let moved = 0;
  for await (const wf of client.workflow.list({ query })) {
    const on = wf.raw.versioningInfo?.deploymentVersion?.buildId;
    if (!on || on === version.buildId) continue;
    await client.workflowService.updateWorkflowExecutionOptions({
      namespace: client.options.namespace,
      workflowExecution: { workflowId: wf.workflowId, runId: wf.runId },
      workflowExecutionOptions: { versioningOverride: { pinned: { behavior: PINNED, version } } },
      updateMask: { paths: ['versioning_override'] },
    });
    moved++;
  }
  if (moved) logger.info({ moved, version: versionName(version) }, 'open workflows of older builds moved here');
}

export async function settleCurrentVersion(
  client: Client,
  version: DeploymentVersion,
  policy: TandemConfig['TANDEM_CURRENT_VERSION'],
  logger: Logger,
  timeoutMs = 30_000,
): Promise<void> {
  const state = await registered(client, version, timeoutMs);
  const mine = state.current === version.buildId;
  const claim = !mine && (policy === 'take-over' || (policy === 'if-none' && !state.current));
  if (claim) await setCurrentVersion(client, version);
  if (policy === 'take-over') await takeOverPinned(client, version, logger);
  if (mine || claim) return void logger.info({ version: versionName(version) }, 'this version is current');
  logger.warn(
    { version: versionName(version), current: state.current ?? null, ramping: state.ramping ?? null },
    'this version is not current: it serves the workflows pinned to it, and new work once promoted (tandem deploy promote)',
  );
}
