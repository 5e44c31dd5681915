/**
 * A running `tandem cluster` seen through the same RunningSystem the e2e helpers take (consoleUser, linkedPair):
 * the sandboxes' URLs, the balancer as the ingress, a Temporal client and a Salesforce API user of its own.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Client, Connection as TemporalConnection } from '@temporalio/client';
import { Connection as SalesforceConnection } from 'jsforce';
import type { RunningCluster } from '../../workers/cluster/cluster';
import { restartClusterProcess, stopClusterProcess } from '../../workers/cluster/cluster';
import type { Part, RunningSystem } from './system';
import { SANDBOX_DEFAULT_CREDENTIALS } from '../../common/config';
import { eventually } from './eventually';

const PROCESSES: Record<Part, string[]> = {
  worker: ['worker-1', 'worker-2'],
  cdc: ['cdc'],
  ingress: ['ingress-1', 'ingress-2'],
};

export async function clusterSystem(cluster: RunningCluster): Promise<RunningSystem> {
  const dataDir = cluster.layout.dataDir;
  const connection = await TemporalConnection.connect({ address: cluster.temporalAddress });
  const salesforce = new SalesforceConnection({
    oauth2: {
      loginUrl: cluster.salesforceUrl,
      ...SANDBOX_DEFAULT_CREDENTIALS.salesforce,
    },
    version: '60.0',
    callOptions: { client: 'cluster-user' },
  });
  await salesforce.authorize({ grant_type: 'client_credentials' });
  const each = async (part: Part, act: (name: string) => Promise<unknown>) => {
    for (const name of PROCESSES[part]) await act(name);
  };
  return {
    salesforceUrl: cluster.salesforceUrl,
    procoreUrl: cluster.procoreUrl,
    ingressUrl: cluster.ingressUrl,
    namespace: cluster.namespace,
    env: {},
    temporal: new Client({ connection, namespace: cluster.namespace }),
    salesforce,
    // One process after the other: a rolling restart.
    restart: (part, how) => each(part, (name) => restartClusterProcess(dataDir, name, how)),
    stopPart: (part, how) => each(part, (name) => stopClusterProcess(dataDir, name, how)),
    startPart: (part) => each(part, (name) => restartClusterProcess(dataDir, name)),
    stop: () => connection.close(),
  };
}

/**
 * `.ci/run` builds the cluster's Temporal server (`tandem cluster install`, minutes when cold) in the background while
 * the other test files run, and names in TANDEM_CLUSTER_INSTALL_STATUS the file it writes the build's exit code to
 * (its output goes to TANDEM_CLUSTER_INSTALL_LOG). This waits for that file; without the variable it returns at once
 * and `clusterUp` provisions whatever is missing itself.
 */
export async function clusterToolsReady(timeoutMs = 45 * 60_000): Promise<void> {
  const status = process.env.TANDEM_CLUSTER_INSTALL_STATUS;
  if (!status) return;
  const log = process.env.TANDEM_CLUSTER_INSTALL_LOG ?? 'its log';
  const started = Date.now();
  if (!existsSync(status)) process.stderr.write(`[cluster] waiting for the background cluster install (${log})\n`);
  const code = await eventually(
    () => (existsSync(status) ? readFileSync(status, 'utf8').trim() || undefined : undefined),
    `the background cluster install to finish (${log})`,
    timeoutMs,
    1000,
  );
  if (code !== '0') throw new Error(`the background cluster install failed (exit ${code}); see ${log}`);
  process.stderr.write(`[cluster] tools ready after waiting ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}
