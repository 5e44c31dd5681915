/**
 * The whole Tandem system in one process, as `tandem start` runs it: the Temporal dev server (a child process),
 * the sandboxes of the systems not configured for real, the sync and CDC workers, the ingress and the console.
 * Each part is registered as soon as it runs, so a failure part-way stops exactly what had started.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { TandemConfig } from '../../common/config';
import type { Logger } from '../../common/logger';
import { startIngress } from '../ingress';
import { startCdcWorker } from '../cdc-worker';
import { startSyncWorkers } from '../sync-worker';
import { startConsole } from './demo-console';
import { runningPart, type StartedParts } from '../lifecycle';
import { assertPortsFree, type PortClaim } from './ports';
import { stopOrphanedDevServer } from './dev-server-pid';
import { planSandboxes, SANDBOX_HOST, type SandboxPlan } from './sandbox-plan';
import { pointAtSandboxes, startProcore, startSalesforce } from './sandboxes';
import { installTemporalRuntime } from '../temporal/runtime';
import { assertIngressSecure, assertNoSandboxCredentials } from '../../common/secure-config';
import { pointAtTemporal, startTemporal } from './temporal-server';

export interface SystemEndpoint {
  url: string;
  sandbox: boolean;
}

export interface LocalSystem {
  dataDir: string;
  temporal: { address: string; uiUrl: string; namespace: string; pid: number; dbFile: string };
  salesforce: SystemEndpoint;
  procore: SystemEndpoint;
  ingressUrl: string;
  /** The console's URL, or why it is not running. */
  console: { url: string } | { skipped: string };
  /** Things the operator should know. */
  notes: string[];
}

function portClaims(config: TandemConfig, plan: SandboxPlan): PortClaim[] {
  const local = (setting: string, port: number, purpose: string): PortClaim => ({
    setting,
    port,
    purpose,
    host: SANDBOX_HOST,
  });
  return [
    local('TEMPORAL_PORT', config.TEMPORAL_PORT, 'Temporal dev server'),
    local('TEMPORAL_UI_PORT', config.TEMPORAL_UI_PORT, 'Temporal UI'),
    ...(plan.salesforce
      ? [local('SALESFORCE_SANDBOX_PORT', config.SALESFORCE_SANDBOX_PORT, 'Salesforce sandbox')]
      : []),
    ...(plan.procore ? [local('PROCORE_SANDBOX_PORT', config.PROCORE_SANDBOX_PORT, 'Procore sandbox')] : []),
    ...(plan.salesforce && plan.procore ? [local('CONSOLE_PORT', config.CONSOLE_PORT, 'demo console')] : []),
    { setting: 'INGRESS_PORT', port: config.INGRESS_PORT, purpose: 'ingress', host: config.INGRESS_HOST },
  ];
}

/** The configuration as Tandem will use it: the planned sandboxes in place of the URLs they stand in for. */
function asPlanned(config: TandemConfig, plan: SandboxPlan): TandemConfig {
  const sandboxUrl = 'http://127.0.0.1';
  return pointAtSandboxes(config, {
    salesforce: plan.salesforce ? sandboxUrl : undefined,
    procore: plan.procore ? sandboxUrl : undefined,
  });
}

/** The ingress's refusals (a token beyond loopback, a public URL for a real Procore) before anything starts. */
function assertIngressSecureFor(config: TandemConfig, plan: SandboxPlan): void {
  assertIngressSecure(asPlanned(config, plan));
}

/**
 * The sandboxes' published credentials are refused only for a system `tandem start` does not emulate: with
 * TANDEM_SANDBOXES=on, real-looking URLs are replaced by the sandboxes and the credentials are theirs.
 */
export function assertNoSandboxCredentialsAsPlanned(config: TandemConfig, env: NodeJS.ProcessEnv): void {
  assertNoSandboxCredentials(asPlanned(config, planSandboxes(config, env)));
}

async function startConsoleFor(
  config: TandemConfig,
  plan: SandboxPlan,
  ingressUrl: string,
  parts: StartedParts,
): Promise<LocalSystem['console']> {
  if (!plan.salesforce || !plan.procore)
    return { skipped: 'not started: it shows the sandboxes, and a real system is configured' };
  const started = await startConsole({
    port: config.CONSOLE_PORT,
    host: SANDBOX_HOST,
    salesforceUrl: config.SALESFORCE_LOGIN_URL,
    procoreUrl: config.PROCORE_API_URL,
    operatorApiUrl: ingressUrl,
    operatorApiToken: config.TANDEM_API_TOKEN,
    temporalUiUrl: config.TEMPORAL_UI_URL,
    namespace: config.TEMPORAL_NAMESPACE,
  });
  parts.add(started);
  return { url: started.url };
}

export async function startLocalSystem(
  configured: TandemConfig,
  env: NodeJS.ProcessEnv,
  logger: Logger,
  parts: StartedParts,
): Promise<LocalSystem> {
  const dataDir = path.resolve(configured.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const plan = planSandboxes(configured, env);
  assertIngressSecureFor(configured, plan);
  await stopOrphanedDevServer(dataDir, logger);
  await assertPortsFree(portClaims(configured, plan));

  const temporal = await startTemporal(configured, dataDir);
  parts.add(temporal);
  const salesforce = plan.salesforce ? await startSalesforce(configured, dataDir, logger) : undefined;
  if (salesforce) parts.add(salesforce);
  const procore = plan.procore ? await startProcore(configured, dataDir, logger) : undefined;
  if (procore) parts.add(procore);
  const config = {
    ...pointAtSandboxes(pointAtTemporal(configured, temporal.server), {
      salesforce: salesforce?.url,
      procore: procore?.url,
    }),
    // One process is the whole deployment: its build is current, and runs of the build before it come along.
    TANDEM_CURRENT_VERSION: 'take-over' as const,
  };

  installTemporalRuntime(logger);
  parts.add(runningPart('sync workers', await startSyncWorkers(config, logger.child({ component: 'worker' }))));
  parts.add(runningPart('CDC worker', await startCdcWorker(config, logger.child({ component: 'cdc' }))));
  const ingress = await startIngress(config, logger.child({ component: 'ingress' }));
  parts.add(runningPart('ingress', ingress));
  const ingressUrl = ingress.url ?? `http://${config.INGRESS_HOST}:${config.INGRESS_PORT}`;

  return {
    dataDir,
    temporal: {
      address: temporal.server.address,
      uiUrl: config.TEMPORAL_UI_URL,
      namespace: config.TEMPORAL_NAMESPACE,
      pid: temporal.server.pid,
      dbFile: temporal.dbFile,
    },
    salesforce: { url: config.SALESFORCE_LOGIN_URL, sandbox: Boolean(salesforce) },
    procore: { url: config.PROCORE_API_URL, sandbox: Boolean(procore) },
    ingressUrl,
    console: await startConsoleFor(config, plan, ingressUrl, parts),
    notes: [],
  };
}
