/** The sync worker's memory bounds: the workflow thread's heap limit, and the launch settings of a worker process. */
import { Worker } from 'node:worker_threads';
import v8 from 'node:v8';
import { limitWorkflowThreadHeap, syncWorkerEnv, workflowThreadHeapMiB } from '../../workers/workflow-memory';

const MiB = 2 ** 20;

function threadHeapLimitMiB(): Promise<number> {
  const thread = new Worker(
    "require('node:worker_threads').parentPort.postMessage(require('node:v8').getHeapStatistics().heap_size_limit)",
    { eval: true },
  );
  return new Promise((resolve, reject) => {
    thread.once('message', (limit: number) => resolve(limit / MiB));
    thread.once('error', reject);
  });
}

describe('the workflow thread heap', () => {
  it('is sized from the workflow cache unless configured', () => {
    expect(workflowThreadHeapMiB(250)).toBeGreaterThan(workflowThreadHeapMiB(100));
    expect(workflowThreadHeapMiB(250, 300)).toBe(300);
  });

  it('limits a thread started after it, and leaves this thread its own limit', async () => {
    const ownLimit = v8.getHeapStatistics().heap_size_limit;
    limitWorkflowThreadHeap(96);
    // Old space as set, plus the young generation: at most three 16 MiB semi-spaces.
    const limit = await threadHeapLimitMiB();
    expect(limit).toBeGreaterThanOrEqual(96);
    expect(limit).toBeLessThanOrEqual(96 + 48);
    expect(v8.getHeapStatistics().heap_size_limit).toBe(ownLimit);
  });
});

describe('a sync worker launch', () => {
  it('adds one malloc arena and the V8 limits, keeping other Node options', () => {
    const env = syncWorkerEnv({ NODE_OPTIONS: '--enable-source-maps', TEMPORAL_ADDRESS: 'x:7233' });
    expect(env).toMatchObject({ MALLOC_ARENA_MAX: '1', TEMPORAL_ADDRESS: 'x:7233' });
    expect(env.NODE_OPTIONS).toMatch(/^--enable-source-maps --max-old-space-size=\d+ --max-semi-space-size=\d+$/);
  });

  it("keeps the operator's own limits, adding only the ones not chosen", () => {
    const env = syncWorkerEnv({ NODE_OPTIONS: '--max-old-space-size=512', MALLOC_ARENA_MAX: '4' });
    expect(env).toMatchObject({ MALLOC_ARENA_MAX: '4' });
    expect(env.NODE_OPTIONS).toMatch(/^--max-old-space-size=512 --max-semi-space-size=\d+$/);
  });
});
