/**
 * The real system for a soak, each part its own process started as an operator starts it: both sandboxes
 * (`tandem sandbox salesforce|procore`) and Tandem's `worker`, `cdc` and `ingress`. Parts can be killed with
 * SIGKILL and started again, as a crashed host would be.
 */
import { workflowBundlePath } from '../../../workers/temporal/workflow-bundle';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTandemProcess, type TandemProcess } from '../../support/process-harness';
import type { SoakTemporal } from './temporal';
import { READY } from '../../support/system';

/** A restart under load (tsx compiling on a busy machine) can take a minute or more. */
const PART_READY_MS = 180_000;
export type Part = 'worker' | 'cdc' | 'ingress';

export interface SoakSystem {
  salesforceUrl: string;
  procoreUrl: string;
  ingressUrl: string;
  kill(part: Part): Promise<void>;
  start(part: Part): Promise<void>;
  /** When the part's current process started (epoch ms). */
  startedAt(part: Part): number;
  stop(): Promise<void>;
}

/** Procore's spike limit stays as Procore sets it; the hourly one is raised so long runs do not spend the hour. */
export const PROCORE_LIMITS = ['--hourly-limit', '1000000000'];

/** The settings Tandem's processes get in a soak, on top of where Temporal and the sandboxes are. */
export function soakTandemEnv(): Record<string, string> {
  return {
    // Short, so a change whose webhook was dropped is recovered within the run and its quiescence wait.
    TANDEM_RECONCILE_EVERY: process.env.TANDEM_SOAK_RECONCILE_EVERY ?? '3000',
    LOG_LEVEL: process.env.SOAK_LOG_LEVEL ?? 'info',
  };
}

export async function startSoakSystem(
  temporal: SoakTemporal,
  label: string,
  workflowCache?: number,
  mappingFile?: string,
): Promise<SoakSystem> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tandem-soak-'));
  const quiet = { LOG_LEVEL: 'warn' };
  const sandboxes: TandemProcess[] = await Promise.all([
    startTandemProcess(
      `${label}-salesforce`,
      ['sandbox', 'salesforce', '--port', '0', '--data', path.join(dataDir, 'salesforce.json')],
      quiet,
      READY.salesforce,
    ),
    startTandemProcess(
      `${label}-procore`,
      ['sandbox', 'procore', '--port', '0', '--data', path.join(dataDir, 'procore.json'), ...PROCORE_LIMITS],
      quiet,
      READY.procore,
    ),
  ]);
  const [salesforceUrl, procoreUrl] = sandboxes.map((s) => s.ready[1]!) as [string, string];
  const env: NodeJS.ProcessEnv = {
    // One release for the soak's life: a killed worker comes back on the build it started with.
    TANDEM_WORKFLOW_BUNDLE: await workflowBundlePath(),
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    SALESFORCE_LOGIN_URL: salesforceUrl,
    PROCORE_LOGIN_URL: procoreUrl,
    PROCORE_API_URL: procoreUrl,
    INGRESS_PORT: '0',
    ...soakTandemEnv(),
    ...(workflowCache === undefined ? {} : { TANDEM_WORKFLOW_CACHE: String(workflowCache) }),
    ...(mappingFile ? { TANDEM_MAPPING_FILE: mappingFile } : {}),
  };
  const parts = new Map<Part, TandemProcess>();
  const startedAt = new Map<Part, number>();
  const start = async (part: Part) => {
    if (parts.has(part)) return;
    startedAt.set(part, Date.now());
    parts.set(part, await startTandemProcess(`${label}-${part}`, [part], env, READY[part], PART_READY_MS));
  };
  const stopPart = async (part: Part, how: 'stop' | 'kill') => {
    const running = parts.get(part);
    parts.delete(part);
    if (running) await (how === 'kill' ? running.kill() : running.stop());
  };
  const stop = async () => {
    await Promise.all([...parts.keys()].map((part) => stopPart(part, 'stop')));
    await Promise.all(sandboxes.map((s) => s.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // The worker first: the CDC worker starts the change-stream workflow, which needs a worker to run.
    await start('worker');
    await Promise.all([start('cdc'), start('ingress')]);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    salesforceUrl,
    procoreUrl,
    ingressUrl: parts.get('ingress')!.ready[1]!,
    kill: (part) => stopPart(part, 'kill'),
    start,
    startedAt: (part) => startedAt.get(part) ?? 0,
    stop,
  };
}
