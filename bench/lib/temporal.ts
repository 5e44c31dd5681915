/**
 * The Temporal server the benchmark runs Tandem on: its own headless, in-memory dev server, or one given with
 * `--temporal host:port`. On a server that is reused, each run gets a fresh namespace: the Salesforce sandbox
 * numbers its records from the start again, so workflow ids would otherwise meet the previous run's workflows.
 */
import path from 'node:path';
import { startDevServer } from '../../workers/temporal/dev-server';
import { TEST_OUTPUT } from '../../test/support/process-harness';
import { ensureTandemNamespace } from '../../workers/temporal/namespace';

export interface BenchTemporal {
  address: string;
  namespace: string;
  /** The server process, when the benchmark started it (for its memory figures). */
  serverPid?: number;
  stop(): Promise<void>;
}

export interface TemporalChoice {
  /** host:port of a running server; the benchmark starts its own without it. */
  address?: string;
  /** Use this namespace as it is (it must exist with Tandem's search attributes), e.g. the test run's. */
  namespace?: string;
  dynamicConfig?: Record<string, unknown>;
}

export async function provideTemporal(choice: TemporalChoice): Promise<BenchTemporal> {
  if (choice.address) {
    const namespace =
      choice.namespace ?? (await createNamespace(choice.address, `tandem-bench-${Date.now().toString(36)}`));
    return { address: choice.address, namespace, stop: async () => undefined };
  }
  const namespace = choice.namespace ?? 'tandem-bench';
  const server = await startDevServer({
    uiPort: false,
    namespace,
    dynamicConfig: choice.dynamicConfig,
    logFile: path.join(TEST_OUTPUT, 'bench-temporal.log'),
  });
  return { address: server.address, namespace, serverPid: server.pid, stop: () => server.stop() };
}

async function createNamespace(address: string, namespace: string): Promise<string> {
  await ensureTandemNamespace(address, namespace);
  return namespace;
}
