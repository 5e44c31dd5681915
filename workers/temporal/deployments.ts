/**
 * The Worker Deployment API as Tandem uses it (the TypeScript client has no wrapper yet): read a deployment's
 * routing, set its Current or Ramping Version, and wake the open workflows so that pinned ones notice a new target.
 */
import type { Client } from '@temporalio/client';
import { NUDGED_TYPES, versionCheck } from '../../workflows/versioning';
import type { DeploymentVersion } from './deployment-version';

export interface VersionState {
  buildId: string;
  /** Whether open pinned workflows still need it: DRAINING, DRAINED or '' (never current, or current now). */
  drainage: string;
  createdAt?: Date;
}

export interface DeploymentState {
  name: string;
  current?: string;
  ramping?: { buildId: string; percentage: number };
  versions: VersionState[];
}

const IDENTITY = 'tandem deploy';

/** gRPC's NOT_FOUND status code. */
const NOT_FOUND = 5;
const notFound = (err: unknown) => (err as { code?: unknown } | null)?.code === NOT_FOUND;

const DRAINAGE = ['', '', 'DRAINING', 'DRAINED'];

/** undefined: no worker of that deployment has polled yet. */
export async function describeDeployment(client: Client, name: string): Promise<DeploymentState | undefined> {
  try {
    const { workerDeploymentInfo: info } = await client.workflowService.describeWorkerDeployment({
      namespace: client.options.namespace,
      deploymentName: name,
    });
    const routing = info?.routingConfig;
    const ramping = routing?.rampingDeploymentVersion?.buildId;
    return {
      name,
      current: routing?.currentDeploymentVersion?.buildId ?? undefined,
      ramping: ramping ? { buildId: ramping, percentage: routing?.rampingVersionPercentage ?? 0 } : undefined,
      versions: (info?.versionSummaries ?? []).map((v) => ({
        buildId: v.deploymentVersion?.buildId ?? '',
        drainage: DRAINAGE[v.drainageStatus ?? 0] ?? '',
        createdAt: v.createTime?.seconds ? new Date(Number(v.createTime.seconds) * 1000) : undefined,
      })),
    };
  } catch (err) {
    if (notFound(err)) return undefined;
    throw err;
  }
}

export async function setCurrentVersion(client: Client, version: DeploymentVersion): Promise<void> {
  await client.workflowService.setWorkerDeploymentCurrentVersion({
    namespace: client.options.namespace,
    deploymentName: version.deploymentName,
    buildId: version.buildId,
    identity: IDENTITY,
  });
}

/** percentage 0 with no build: stop ramping. */
export async function setRampingVersion(
  client: Client,
  deploymentName: string,
  buildId: string | undefined,
  percentage: number,
): Promise<void> {
  await client.workflowService.setWorkerDeploymentRampingVersion({
    namespace: client.options.namespace,
    deploymentName,
    buildId: buildId ?? '',
    percentage: buildId ? percentage : 0,
    identity: IDENTITY,
  });
}

/**
 * Signals `versionCheck` to every open sync and router of the deployment. A pinned workflow only learns that its
 * target moved in a workflow task; an idle one gets none until something signals it. All of them: the version a
 * list shows can lag (a run just continued as new still shows its predecessor's), and a needless check costs one task.
 */
export async function nudgeWorkflows(client: Client, deploymentName: string): Promise<number> {
  let nudged = 0;
  const types = NUDGED_TYPES.map((t) => `"${t}"`).join(', ');
  const query = `ExecutionStatus = "Running" AND TemporalWorkerDeployment = "${deploymentName}" AND WorkflowType IN (${types})`;
  for await (const wf of client.workflow.list({ query })) {
    try {
      await client.workflow.getHandle(wf.workflowId, wf.runId).signal(versionCheck);
      nudged++;
    } catch (err) {
      // Closed since the list: nothing left to move.
      if (!notFound(err) && (err as Error).name !== 'WorkflowNotFoundError') throw err;
    }
  }
  return nudged;
}
