/**
 * What happens to the cluster in the middle of a soak, once each and at fixed points of the run (the random faults
 * go on around them): one ingress is killed and left down until the faults end, so the balancer sends every webhook
 * and operator call to the other; the Temporal server is stopped and started again; and the workflow code is rolled
 * out as a new Worker Deployment Version (a rolling deploy, docs/deploying.md): the new build's workers start beside
 * the old ones, it is promoted, the open runs move to it, and only then do the old build's workers go.
 */
import { Client, Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import type { Chaos } from './chaos';
import type { ClusterSoakSystem } from './cluster-system';
import { sleep } from './random';
import { soakTandemEnv } from './system';
import { tandemEnv } from '../../../workers/cluster/specs';
import { deploymentVersion, type DeploymentVersion } from '../../../workers/temporal/deployment-version';
import { nudgeWorkflows, setCurrentVersion } from '../../../workers/temporal/deployments';
import { eventually } from '../../support/eventually';

/** Fractions of the editing phase at which each event starts: the ingress early, so its absence lasts. */
const AT = { killIngress: 0.1, temporalRestart: 0.2, rollingDeploy: 0.4 };
/** How long the Temporal server stays down: long enough for workers, ingresses and the CDC stream to notice. */
const TEMPORAL_DOWN_MS = 5000;
/** The spare CDC worker (workers/cluster/specs.ts): the new build's while `cdc` still serves the old one. */
const SPARE_CDC = 'cdc-2';

const PINNED = proto.api.workflow.v1.VersioningOverride.PinnedOverrideBehavior.PINNED_OVERRIDE_BEHAVIOR_PINNED;
const UNSPECIFIED = proto.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_UNSPECIFIED;
type VersioningInfo = proto.api.workflow.v1.IWorkflowExecutionVersioningInfo;

export async function clusterEvents(
  system: ClusterSoakSystem,
  chaos: Chaos,
  nextBundle: string,
  startedAt: number,
  durationMs: number,
  progress: (line: string) => void,
): Promise<void> {
  const at = (share: number) => sleep(startedAt + durationMs * share - Date.now());
  const timed = async (kind: string, work: () => Promise<void>) => {
    const from = Date.now();
    progress(`${kind} at ${((from - startedAt) / 1000).toFixed(1)} s`);
    await work();
    chaos.note(kind, from);
    progress(`${kind} done in ${((Date.now() - from) / 1000).toFixed(1)} s`);
  };

  await at(AT.killIngress);
  await timed('killIngress', () => system.killProcess('ingress-1'));

  await at(AT.temporalRestart);
  await timed('temporalRestart', () => system.restart('temporal-server', { downMs: TEMPORAL_DOWN_MS }));

  await at(AT.rollingDeploy);
  await timed('rollingDeploy', () => rollingDeploy(system, nextBundle, progress));
}

/**
 * The build a run's next workflow task goes to: its pinned override's, else the version it is pinned to.
 * undefined: not pinned yet (its first task goes to the Current Version).
 */
function effectiveBuild(info: VersioningInfo | null | undefined): string | undefined {
  const override = info?.versioningOverride;
  const overridden =
    override?.pinned?.version?.buildId ??
    (override?.pinnedVersion ? override.pinnedVersion.slice(override.pinnedVersion.indexOf('.') + 1) : undefined);
  if (overridden) return overridden;
  if ((info?.behavior ?? UNSPECIFIED) === UNSPECIFIED) return undefined;
  return info?.deploymentVersion?.buildId ?? undefined;
}

/**
 * Pins every open run that is pinned to another build to `version` (`temporal workflow update-options
 * --versioning-override-behavior pinned`); returns how many it pinned. Temporal 1.29.1 never tells a pinned run
 * that its target moved (no `targetWorkerDeploymentVersionChanged`), and a run continued as new inherits its
 * predecessor's version, so without this every open sync, router and the change stream would stay on the old build.
 * Their next task replays the old build's history on the new one: the new build's change replays it (a `patched()`).
 */
export async function pinOpenRunsTo(client: Client, version: DeploymentVersion): Promise<number> {
  let pinned = 0;
  for await (const listed of client.workflow.list({ query: 'ExecutionStatus = "Running"' })) {
    // The newest run of the id: a run that continued as new since the list is the one to move.
    const { raw, runId, status } = await client.workflow.getHandle(listed.workflowId).describe();
    if (status.name !== 'RUNNING') continue;
    const on = effectiveBuild(raw.workflowExecutionInfo?.versioningInfo);
    if (on === undefined || on === version.buildId) continue;
    await client.workflowService.updateWorkflowExecutionOptions({
      namespace: client.options.namespace,
      workflowExecution: { workflowId: listed.workflowId, runId },
      workflowExecutionOptions: { versioningOverride: { pinned: { behavior: PINNED, version } } },
      updateMask: { paths: ['versioning_override'] },
    });
    pinned++;
  }
  return pinned;
}

/**
 * docs/deploying.md's rollout on the cluster: (1) worker-1 restarts onto the new bundle, a new build id that takes
 * no work yet, and the spare CDC worker cdc-2 starts on it, while worker-2 and cdc serve the old build; (2) `tandem
 * deploy promote`: the new build becomes current (Temporal refuses while it lacks a task queue of the current one,
 * i.e. until its CDC worker polled) and the open syncs and routers are nudged; (3) on Temporal 1.29.1 pinned runs do
 * not move by themselves: they are pinned to the new build, until a pass finds none left on the old one (the change
 * stream included: its running CDC attempt stays on the old cdc, its next one goes to the new build); (4) worker-2
 * and cdc restart onto the new build (the change stream's attempt moves to cdc-2, then to cdc once cdc-2 stops), and
 * whatever the old workers pinned while stopping is moved too. The cluster ends as it began, one CDC worker.
 */
async function rollingDeploy(
  system: ClusterSoakSystem,
  nextBundle: string,
  progress: (line: string) => void,
): Promise<void> {
  const override = { env: { ...soakTandemEnv(), TANDEM_WORKFLOW_BUNDLE: nextBundle } };
  const deploymentName = tandemEnv(system.cluster.layout).TANDEM_DEPLOYMENT_NAME ?? 'tandem';
  const next = deploymentVersion({ TANDEM_DEPLOYMENT_NAME: deploymentName, TANDEM_BUILD_ID: undefined }, nextBundle);
  const connection = await Connection.connect({ address: system.temporal.address });
  try {
    const client = new Client({ connection, namespace: system.temporal.namespace });
    await system.restart('worker-1', { override });
    await system.launch(SPARE_CDC, override);
    progress(`rollingDeploy: ${next.buildId} runs beside the old build; promoting it`);
    await eventually(
      async () => {
        await setCurrentVersion(client, next);
        return true;
      },
      `${next.buildId} to become current`,
      60_000,
      1000,
    );
    const nudged = await nudgeWorkflows(client, deploymentName);
    const moveAll = async (when: string) => {
      let moved = 0;
      await eventually(
        async () => {
          const pinned = await pinOpenRunsTo(client, next);
          moved += pinned;
          return pinned === 0;
        },
        `every open run on ${next.buildId} ${when}`,
        60_000,
        500,
      );
      progress(`rollingDeploy: ${moved} open runs pinned to ${next.buildId} ${when}`);
    };
    progress(`rollingDeploy: ${next.buildId} is current; ${nudged} syncs and routers nudged`);
    await moveAll('after the promotion');
    for (const name of ['worker-2', 'cdc']) await system.restart(name, { override });
    await system.retire(SPARE_CDC);
    await moveAll('once the old build stopped');
  } finally {
    await connection.close();
  }
}
