/**
 * What bounds a sync worker's memory whatever the number of projects (bench/README.md has the figures):
 * the workflow cache (TANDEM_WORKFLOW_CACHE), the V8 heap limit of the thread that runs the cached workflows, and,
 * set where the process is launched because they must be in place before it starts, glibc's malloc arenas and the
 * main thread's heap limit (`SYNC_WORKER_LAUNCH_ENV`: the Dockerfile, docker-compose.yml, `tandem cluster` and the
 * benchmark use it).
 */
import v8 from 'node:v8';

/**
 * The young generation: V8's default of three 16 MiB semi-spaces per isolate holds up to 48 MiB of short-lived
 * garbage in each of the worker's two isolates; 2 MiB ones cost more frequent (cheap) scavenges.
 */
const SEMI_SPACE_MIB = 2;

/**
 * glibc gives each thread that allocates its own 64 MiB arena; the SDK's native threads fragmented 14 of them to
 * 175 MiB in a 1,000-project run. One arena held the native side at ~70 MiB (two: ~93), at the same CPU per
 * project. The main thread's old space: without a limit V8 lets garbage pile up to hundreds of MiB before it
 * collects (Node's default limit here is 4 GiB).
 */
export const SYNC_WORKER_LAUNCH_ENV = {
  MALLOC_ARENA_MAX: '1',
  NODE_OPTIONS: `--max-old-space-size=128 --max-semi-space-size=${SEMI_SPACE_MIB}`,
} as const;

const V8_LIMIT_FLAGS = SYNC_WORKER_LAUNCH_ENV.NODE_OPTIONS.split(' ');

/** The workflow thread's heap beyond its cached workflows (the bundle, the SDK), and per cached workflow, in MiB. */
const WORKFLOW_THREAD_BASE_MIB = 48;
const WORKFLOW_THREAD_PER_CACHED_MIB = 0.25;

/** The old-space limit the workflow thread gets for a cache of `cachedWorkflows`, unless one is configured. */
export function workflowThreadHeapMiB(cachedWorkflows: number, configured?: number): number {
  return configured ?? Math.round(WORKFLOW_THREAD_BASE_MIB + cachedWorkflows * WORKFLOW_THREAD_PER_CACHED_MIB);
}

/**
 * Limits the heap of the isolates created from now on: the SDK starts the workflow thread without resource limits,
 * so it takes V8's flags as they are when the thread starts. The main thread keeps the limit it was launched with.
 * Call before creating the workflow worker.
 */
export function limitWorkflowThreadHeap(mib: number): void {
  v8.setFlagsFromString(`--max-old-space-size=${mib}`);
  v8.setFlagsFromString(`--max-semi-space-size=${SEMI_SPACE_MIB}`);
}

/**
 * `env` for launching a sync worker: each launch setting added unless the operator chose their own (an existing
 * `--max-old-space-size`, `--max-semi-space-size` or MALLOC_ARENA_MAX wins; other NODE_OPTIONS are kept).
 */
export function syncWorkerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const options = env.NODE_OPTIONS ?? '';
  const missing = V8_LIMIT_FLAGS.filter((flag) => !options.includes(flag.split('=')[0]!));
  return {
    ...env,
    MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? SYNC_WORKER_LAUNCH_ENV.MALLOC_ARENA_MAX,
    NODE_OPTIONS: [options, ...missing].join(' ').trim(),
  };
}
