/**
 * What happens to the cluster in the middle of a soak, once each and at fixed points of the run (the random faults
 * go on around them): one ingress is killed and left down until the faults end, so the balancer sends every webhook
 * and operator call to the other; the Temporal server is stopped and started again; and the two workers are restarted
 * one after the other onto a new build of the workflow code (a rolling deploy).
 */
import type { Chaos } from './chaos';
import type { ClusterSoakSystem } from './cluster-system';
import { sleep } from './random';
import { soakTandemEnv } from './system';

/** Fractions of the editing phase at which each event starts: the ingress early, so its absence lasts. */
const AT = { killIngress: 0.1, temporalRestart: 0.2, rollingDeploy: 0.4 };
/** How long the Temporal server stays down: long enough for workers, ingresses and the CDC stream to notice. */
const TEMPORAL_DOWN_MS = 5000;

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
  const newBuild = { env: { ...soakTandemEnv(), TANDEM_WORKFLOW_BUNDLE: nextBundle } };
  await timed('rollingDeploy', async () => {
    for (const worker of ['worker-1', 'worker-2']) await system.restart(worker, { override: newBuild });
  });
}
