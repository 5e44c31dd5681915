/**
 * Temporal on the cluster's PostgreSQL: the schema steps, the server and the Web UI as processes, and the
 * namespace with Tandem's search attributes. The configuration files are deploy/temporal's, the same ones
 * docker-compose.yml mounts, filled in from the environment.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { PROJECT_ROOT } from '../../common/project-root';
import { DB_USER } from './postgres';
import { address, CLUSTER_HOST, type ClusterLayout } from './layout';
import type { ProcessSpec } from './processes';
import type { ClusterTools } from './provision';

export const DEPLOY_DIR = path.join(PROJECT_ROOT, 'deploy', 'temporal');

/** Creates both databases and brings their schemas up to date (deploy/temporal/setup-schema.sh). */
export async function setupSchema(layout: ClusterLayout, tools: ClusterTools, password: string): Promise<void> {
  await promisify(execFile)('sh', [path.join(DEPLOY_DIR, 'setup-schema.sh')], {
    env: {
      ...process.env,
      TEMPORAL_SQL_TOOL: tools.temporalSqlTool,
      SQL_HOST: CLUSTER_HOST,
      SQL_PORT: String(layout.ports.postgres),
      SQL_USER: DB_USER,
      SQL_PASSWORD: password,
    },
  });
}

/** The environment deploy/temporal/config/production.yaml reads. */
export function temporalServerEnv(layout: ClusterLayout, password: string): NodeJS.ProcessEnv {
  const { ports } = layout;
  return {
    TEMPORAL_DB_HOST: CLUSTER_HOST,
    TEMPORAL_DB_PORT: String(ports.postgres),
    TEMPORAL_DB_USER: DB_USER,
    TEMPORAL_DB_PASSWORD: password,
    TEMPORAL_BIND_IP: CLUSTER_HOST,
    TEMPORAL_FRONTEND_PORT: String(ports.temporalFrontend),
    TEMPORAL_HTTP_PORT: String(ports.temporalHttp),
    TEMPORAL_HISTORY_PORT: String(ports.temporalHistory),
    TEMPORAL_MATCHING_PORT: String(ports.temporalMatching),
    TEMPORAL_WORKER_PORT: String(ports.temporalWorker),
    TEMPORAL_FRONTEND_MEMBERSHIP_PORT: String(ports.temporalFrontendMembership),
    TEMPORAL_HISTORY_MEMBERSHIP_PORT: String(ports.temporalHistoryMembership),
    TEMPORAL_MATCHING_MEMBERSHIP_PORT: String(ports.temporalMatchingMembership),
    TEMPORAL_WORKER_MEMBERSHIP_PORT: String(ports.temporalWorkerMembership),
    TEMPORAL_METRICS_PORT: String(ports.temporalMetrics),
    TEMPORAL_DYNAMIC_CONFIG: path.join(DEPLOY_DIR, 'dynamicconfig', 'production.yaml'),
  };
}

/** Answers once the frontend serves the system namespace. */
export async function temporalServing(temporalAddress: string): Promise<boolean> {
  const connection = await Connection.connect({ address: temporalAddress, connectTimeout: 1_000 });
  try {
    await connection.workflowService.describeNamespace({ namespace: 'temporal-system' });
    return true;
  } finally {
    await connection.close();
  }
}

export function temporalServerSpec(layout: ClusterLayout, tools: ClusterTools, password: string): ProcessSpec {
  return {
    name: 'temporal-server',
    command: tools.temporalServer,
    args: ['--root', DEPLOY_DIR, '--config', 'config', '--env', 'production', '--allow-no-auth', 'start'],
    env: temporalServerEnv(layout, password),
    ready: () => temporalServing(address(layout.ports.temporalFrontend)),
  };
}

/** The Web UI server, on deploy/temporal/ui-config (a template, like the server's configuration). */
export function temporalUiSpec(layout: ClusterLayout, tools: ClusterTools, namespace: string): ProcessSpec {
  return {
    name: 'temporal-ui',
    command: tools.temporalUi,
    args: ['--root', DEPLOY_DIR, '--config', 'ui-config', '--env', 'production', 'start'],
    env: {
      TEMPORAL_ADDRESS: address(layout.ports.temporalFrontend),
      TEMPORAL_UI_HOST: CLUSTER_HOST,
      TEMPORAL_UI_PORT: String(layout.ports.temporalUi),
      TEMPORAL_NAMESPACE: namespace,
    },
    ready: async () => (await fetch(`http://${CLUSTER_HOST}:${layout.ports.temporalUi}/`)).ok,
  };
}
