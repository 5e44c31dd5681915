/**
 * A pair of sandboxes (Salesforce and Procore), each its own process, with the injected API latency set. The
 * latency fault delays API calls only: the consoles' user endpoints, with which the benchmark edits, are not
 * delayed, so an edit's commit time is the console's answer time.
 */
import path from 'node:path';
import got from 'got';
import { startTandemProcess, startTypeScriptProcess, type TandemProcess } from '../../test/support/process-harness';
import type { SandboxUrls } from './systems';

export interface SandboxPair extends SandboxUrls {
  name: string;
  /** The sandbox processes, for their CPU time. */
  pids: { salesforce: number; procore: number };
  setLatency(latencyMs: number): Promise<void>;
  stop(): Promise<void>;
}

const READY = {
  salesforce: /Salesforce sandbox listening at (\S+)/,
  procore: /Procore sandbox listening at (\S+)/,
};

export async function startSandboxPair(name: string): Promise<SandboxPair> {
  const started: TandemProcess[] = [];
  try {
    const [salesforce, procore] = await Promise.all([
      startTandemProcess(
        `bench-${name}-salesforce`,
        ['sandbox', 'salesforce', '--port', '0'],
        { LOG_LEVEL: 'warn' },
        READY.salesforce,
      ).then(keep(started)),
      startTypeScriptProcess(
        `bench-${name}-procore`,
        path.join('bench', 'processes', 'procore-sandbox.ts'),
        [],
        { LOG_LEVEL: 'warn' },
        READY.procore,
      ).then(keep(started)),
    ]);
    const urls = { salesforceUrl: salesforce.ready[1]!, procoreUrl: procore.ready[1]! };
    return {
      name,
      ...urls,
      pids: { salesforce: salesforce.child.pid ?? -1, procore: procore.child.pid ?? -1 },
      setLatency: async (latencyMs) => {
        await Promise.all(
          [urls.salesforceUrl, urls.procoreUrl].map((url) =>
            got.post(`${url}/sandbox/faults`, { json: { latencyMs } }),
          ),
        );
      },
      stop: () => stopAll(started),
    };
  } catch (err) {
    await stopAll(started);
    throw err;
  }
}

export function keep(list: TandemProcess[]) {
  return (process: TandemProcess) => {
    list.push(process);
    return process;
  };
}

export async function stopAll(processes: TandemProcess[]): Promise<void> {
  await Promise.all(processes.map((p) => p.stop()));
}
