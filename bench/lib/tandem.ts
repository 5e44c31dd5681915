/** Tandem as an operator runs it: `tandem worker` (×N), `tandem cdc` and `tandem ingress`, each its own process. */
import type { ConflictPolicy } from '../../mappings/types';
import { mappingFileWithPolicy } from '../../test/support/mapping-file';
import { startTandemProcess, type TandemProcess } from '../../test/support/process-harness';
import { syncWorkerEnv } from '../../workers/workflow-memory';
import { keep, stopAll } from './sandboxes';
import type { SandboxUrls } from './systems';

export interface TandemSettings {
  temporalAddress: string;
  namespace: string;
  workers: number;
  coalesceMs: number;
  /** Activities per second per system: generous, so the caps do not shape the figures. */
  rateCap: number;
  /** TANDEM_WORKFLOW_CACHE of the sync workers; Tandem's default without it. */
  workflowCache?: number;
  /** V8 old-space limit of the sync workers (`--max-old-space-size`), which makes them collect garbage sooner. */
  workerHeapMiB?: number;
  /** Run Tandem's processes from the compiled dist/ (`npm run build`), as production does, not through tsx. */
  compiled?: boolean;
  /** Every field's conflict policy, in a copy of the shipped mapping; the shipped mapping as it is without it. */
  conflictPolicy?: ConflictPolicy;
}

export interface RunningTandem {
  /** The processes whose memory the report gives, by role. */
  pids: { workers: number[]; cdc: number; ingress: number };
  stop(): Promise<void>;
}

const READY = { worker: /tandem-worker ready/, cdc: /tandem-cdc ready/, ingress: /tandem-ingress ready at (\S+)/ };

export async function startTandem(pair: SandboxUrls, settings: TandemSettings): Promise<RunningTandem> {
  const env: NodeJS.ProcessEnv = {
    TEMPORAL_ADDRESS: settings.temporalAddress,
    TEMPORAL_NAMESPACE: settings.namespace,
    SALESFORCE_LOGIN_URL: pair.salesforceUrl,
    PROCORE_LOGIN_URL: pair.procoreUrl,
    PROCORE_API_URL: pair.procoreUrl,
    INGRESS_PORT: '0',
    TANDEM_COALESCE_MS: String(settings.coalesceMs),
    SALESFORCE_RATE_CAP: String(settings.rateCap),
    PROCORE_RATE_CAP: String(settings.rateCap),
    LOG_LEVEL: 'warn',
    ...(settings.compiled ? { TANDEM_RUN_FROM: 'dist' } : {}),
    ...(settings.workflowCache === undefined ? {} : { TANDEM_WORKFLOW_CACHE: String(settings.workflowCache) }),
    ...(settings.conflictPolicy ? { TANDEM_MAPPING_FILE: mappingFileWithPolicy(settings.conflictPolicy) } : {}),
  };
  // As deployments launch a sync worker (workers/workflow-memory.ts); --worker-heap-mib replaces the heap limit.
  const heap = settings.workerHeapMiB ? `--max-old-space-size=${settings.workerHeapMiB}` : '';
  const workerEnv = syncWorkerEnv({ ...env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${heap}`.trim() });
  const started: TandemProcess[] = [];
  try {
    // Workers first: the CDC worker starts the change-stream workflow, which needs a sync worker to run.
    const workers = await Promise.all(
      Array.from({ length: settings.workers }, (_, i) =>
        startTandemProcess(`bench-worker-${i + 1}`, ['worker'], workerEnv, READY.worker).then(keep(started)),
      ),
    );
    const [cdc, ingress] = await Promise.all([
      startTandemProcess('bench-cdc', ['cdc'], env, READY.cdc).then(keep(started)),
      startTandemProcess('bench-ingress', ['ingress'], env, READY.ingress).then(keep(started)),
    ]);
    return {
      pids: {
        workers: workers.map((w) => w.child.pid ?? -1),
        cdc: cdc.child.pid ?? -1,
        ingress: ingress.child.pid ?? -1,
      },
      stop: () => stopAll(started),
    };
  } catch (err) {
    await stopAll(started);
    throw err;
  }
}
