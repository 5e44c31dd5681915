/**
 * Where everything of a local cluster lives: its ports, all derived from one base port so two clusters (or a test's
 * and an operator's) can run side by side, and its files under the data folder.
 */
import path from 'node:path';

export const DEFAULT_PORT_BASE = 17200;
export const CLUSTER_HOST = '127.0.0.1';

export interface ClusterPorts {
  postgres: number;
  temporalFrontend: number;
  temporalHistory: number;
  temporalMatching: number;
  temporalWorker: number;
  temporalFrontendMembership: number;
  temporalHistoryMembership: number;
  temporalMatchingMembership: number;
  temporalWorkerMembership: number;
  temporalHttp: number;
  temporalMetrics: number;
  temporalUi: number;
  salesforceSandbox: number;
  procoreSandbox: number;
  /** The one port Procore and operators use; it balances over the ingresses. */
  ingress: number;
  ingressA: number;
  ingressB: number;
}

const OFFSETS: Record<keyof ClusterPorts, number> = {
  postgres: 0,
  temporalFrontend: 1,
  temporalHistory: 2,
  temporalMatching: 3,
  temporalWorker: 4,
  temporalFrontendMembership: 5,
  temporalHistoryMembership: 6,
  temporalMatchingMembership: 7,
  temporalWorkerMembership: 8,
  temporalHttp: 9,
  temporalMetrics: 10,
  temporalUi: 11,
  salesforceSandbox: 12,
  procoreSandbox: 13,
  ingress: 14,
  ingressA: 15,
  ingressB: 16,
};

export function clusterPorts(base: number): ClusterPorts {
  const ports = { ...OFFSETS };
  for (const name of Object.keys(OFFSETS) as (keyof ClusterPorts)[]) ports[name] = base + OFFSETS[name];
  return ports;
}

export interface ClusterLayout {
  dataDir: string;
  portBase: number;
  ports: ClusterPorts;
  /** PostgreSQL's own folder, owned by the postgres user when we run as root. */
  postgresDir: string;
  postgresData: string;
  logDir: string;
  stateFile: string;
  /** The Temporal database user's password, made once per data folder. */
  passwordFile: string;
}

export function clusterLayout(dataDir: string, portBase = DEFAULT_PORT_BASE): ClusterLayout {
  const root = path.resolve(dataDir);
  const postgresDir = path.join(root, 'postgresql');
  return {
    dataDir: root,
    portBase,
    ports: clusterPorts(portBase),
    postgresDir,
    postgresData: path.join(postgresDir, 'data'),
    logDir: path.join(root, 'logs'),
    stateFile: path.join(root, 'cluster.json'),
    passwordFile: path.join(root, 'temporal-db-password'),
  };
}

export const url = (port: number): string => `http://${CLUSTER_HOST}:${port}`;
export const address = (port: number): string => `${CLUSTER_HOST}:${port}`;
