/** What `tandem cluster up` prints once everything answers, like `tandem start`'s banner. */
import type { RunningCluster } from './cluster';

export const CLUSTER_READY_LINE = 'Tandem cluster is ready';

const row = (label: string, value: string, note = '') =>
  `  ${label.padEnd(20)}${note ? `${value.padEnd(34)} ${note}` : value}`;

export function clusterBanner(cluster: RunningCluster): string {
  const { ports, logDir, dataDir } = cluster.layout;
  const pid = (name: string) => `pid ${cluster.pids[name] ?? '?'}`;
  return [
    '',
    `Tandem's production shape is running on this machine (up in ${cluster.upSeconds.toFixed(1)} s); data in ${dataDir}`,
    '',
    row('Temporal UI', cluster.temporalUiUrl, `namespace ${cluster.namespace}; ${pid('temporal-ui')}`),
    row('Temporal server', cluster.temporalAddress, `PostgreSQL store + SQL visibility; ${pid('temporal-server')}`),
    row('PostgreSQL', `127.0.0.1:${ports.postgres}`, `databases temporal, temporal_visibility; ${pid('postgresql')}`),
    row(
      'Ingress',
      cluster.ingressUrl,
      `balances over :${ports.ingressA} (${pid('ingress-1')}), :${ports.ingressB} (${pid('ingress-2')})`,
    ),
    row('Operator page', `${cluster.ingressUrl}/ui`, 'every ProjectSync: status, last error, re-sync'),
    row('Sync workers', `2 processes`, `${pid('worker-1')}, ${pid('worker-2')}`),
    row('CDC worker', '1 process', pid('cdc')),
    row('Salesforce sandbox', cluster.salesforceUrl, pid('salesforce-sandbox')),
    row('Procore sandbox', cluster.procoreUrl, pid('procore-sandbox')),
    row('Logs', logDir),
    '',
    'Stop everything with: npx tandem cluster down' + (dataDir ? ` --data ${dataDir}` : ''),
    CLUSTER_READY_LINE,
    '',
  ].join('\n');
}
