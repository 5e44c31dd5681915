/**
 * The soak on the production shape (`npm run soak -- --cluster`): `tandem cluster up` in a scratch folder, seen as
 * the SoakSystem the chaos and quiescence take. A killed worker is one of the two in turn; the ingress is the first
 * of the two behind the balancer. Every stop and start goes through one queue, so a chaos kill never meets a
 * Temporal server restart or a step of the rolling deploy halfway.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  clusterDown,
  clusterUp,
  restartClusterProcess,
  stopClusterProcess,
  type RunningCluster,
} from '../../../workers/cluster/cluster';
import { isAlive, readState, type ProcessOverride } from '../../../workers/cluster/processes';
import type { Part, SoakSystem } from './system';
import { PROCORE_LIMITS, soakTandemEnv } from './system';
import type { SoakTemporal } from './temporal';
import { TEST_OUTPUT } from '../../support/process-harness';

export interface ClusterSoakSystem extends SoakSystem {
  cluster: RunningCluster;
  temporal: SoakTemporal;
  /** Stops one process, waits, starts it again (with `override` from then on, e.g. a new build). */
  restart(name: string, options?: { downMs?: number; override?: ProcessOverride }): Promise<void>;
  /**
   * SIGKILL of one process, left down until `start` of its part (the faults' end) brings it back. Not queued: the
   * ingress shares nothing with the restarts that are.
   */
  killProcess(name: string): Promise<void>;
  /** Starts a process `up` does not start (a spare, e.g. `cdc-2`), queued like `restart`. */
  launch(name: string, override?: ProcessOverride): Promise<void>;
  /** Stops one process for good (SIGTERM: in-flight work finishes), queued like `restart`. */
  retire(name: string): Promise<void>;
}

const PROCESSES: Record<Part, string[]> = { worker: ['worker-1', 'worker-2'], cdc: ['cdc'], ingress: ['ingress-1'] };
const TANDEM_PROCESSES = ['worker-1', 'worker-2', 'cdc', 'cdc-2', 'ingress-1', 'ingress-2'];

/** Clear of the default cluster (17200), the cluster test's range (21000–25000) and the ephemeral ports. */
const portBase = () => 25_000 + Math.floor(Math.random() * 200) * 20;

/** What a soak needs of the cluster's processes: the soak's reconciliation interval and Procore's raised hourly limit. */
export function soakClusterOverrides(): Record<string, ProcessOverride> {
  const env = soakTandemEnv();
  const overrides: Record<string, ProcessOverride> = Object.fromEntries(
    TANDEM_PROCESSES.map((name) => [name, { env }]),
  );
  overrides['procore-sandbox'] = { args: PROCORE_LIMITS };
  return overrides;
}

/**
 * `tandem cluster up` in a scratch folder, torn down and removed by the system's `stop`; the processes' logs are
 * kept in test-output/<label>-cluster-logs/ to look into a divergence afterwards.
 */
export async function startClusterSoakSystem(
  label: string,
  progress: (line: string) => void,
): Promise<ClusterSoakSystem> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tandem-soak-cluster-'));
  const removeCluster = async () => {
    // For a look into a failure with the histories still in PostgreSQL: `tandem cluster down --data <dir>` ends it.
    if (process.env.TANDEM_SOAK_KEEP_CLUSTER === '1') return progress(`cluster: kept running in ${dataDir}`);
    await clusterDown(dataDir);
    const logs = path.join(dataDir, 'logs');
    const kept = path.join(TEST_OUTPUT, `${label}-cluster-logs`);
    rmSync(kept, { recursive: true, force: true });
    if (existsSync(logs)) cpSync(logs, kept, { recursive: true });
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const report = (line: string) => progress(`cluster: ${line}`);
    const cluster = await clusterUp({ dataDir, portBase: portBase(), overrides: soakClusterOverrides(), report });
    return clusterSoakSystem(cluster, removeCluster);
  } catch (err) {
    await removeCluster();
    throw err;
  }
}

/** A running cluster (one `up` made with soakClusterOverrides) as the soak's system; `stop` calls `release`. */
export function clusterSoakSystem(
  cluster: RunningCluster,
  release: () => Promise<void> = async () => undefined,
): ClusterSoakSystem {
  const dataDir = cluster.layout.dataDir;
  const startedAt = new Map<string, number>();
  let queue: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const turn = queue.then(work);
    queue = turn.catch(() => undefined);
    return turn;
  };
  const alive = (name: string) => {
    const record = readState(cluster.layout.stateFile)?.processes[name];
    return record !== undefined && isAlive(record);
  };
  const startOne = async (name: string, override?: ProcessOverride) => {
    startedAt.set(name, Date.now());
    await restartClusterProcess(dataDir, name, 'stop', override);
  };
  const killed = new Map<Part, number>();
  return {
    cluster,
    temporal: { address: cluster.temporalAddress, namespace: cluster.namespace, stop: async () => undefined },
    salesforceUrl: cluster.salesforceUrl,
    procoreUrl: cluster.procoreUrl,
    ingressUrl: cluster.ingressUrl,
    kill: (part) =>
      inTurn(async () => {
        const names = PROCESSES[part];
        const turn = killed.get(part) ?? 0;
        killed.set(part, turn + 1);
        await stopClusterProcess(dataDir, names[turn % names.length]!, 'kill');
      }),
    start: (part) =>
      inTurn(async () => {
        for (const name of PROCESSES[part]) if (!alive(name)) await startOne(name);
      }),
    startedAt: (part) => Math.max(...PROCESSES[part].map((name) => startedAt.get(name) ?? 0)),
    restart: (name, options = {}) =>
      inTurn(async () => {
        await stopClusterProcess(dataDir, name);
        await new Promise((resolve) => setTimeout(resolve, options.downMs ?? 0));
        await startOne(name, options.override);
      }),
    killProcess: (name) => stopClusterProcess(dataDir, name, 'kill'),
    launch: (name, override) => inTurn(() => startOne(name, override)),
    retire: (name) => inTurn(() => stopClusterProcess(dataDir, name)),
    stop: release,
  };
}
