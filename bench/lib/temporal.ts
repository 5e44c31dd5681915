/**
 * The Temporal server the benchmark runs Tandem on: its own headless, in-memory dev server, or one given with
 * `--temporal host:port`. On a server that is reused, each run gets a fresh namespace: the Salesforce sandbox
 * numbers its records from the start again, so workflow ids would otherwise meet the previous run's workflows.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { startDevServer } from '../../workers/temporal/dev-server';
import { TEST_OUTPUT } from '../../test/support/process-harness';
import { ensureTandemNamespace } from '../../workers/temporal/namespace';

export interface BenchTemporal {
  address: string;
  namespace: string;
  /** The server process, when the benchmark started it (for its memory figures). */
  serverPid?: number;
  /** MiB of the SQLite files of the own server when it persists (`persist`), else null. */
  persistenceMiB(): number | null;
  stop(): Promise<void>;
}

export interface TemporalChoice {
  /** host:port of a running server; the benchmark starts its own without it. */
  address?: string;
  /** Use this namespace as it is (it must exist with Tandem's search attributes), e.g. the test run's. */
  namespace?: string;
  dynamicConfig?: Record<string, unknown>;
  /** The own server keeps its state in a SQLite file (in test-output/) rather than in memory. */
  persist?: boolean;
}

export async function provideTemporal(choice: TemporalChoice): Promise<BenchTemporal> {
  if (choice.address) {
    const namespace =
      choice.namespace ?? (await createNamespace(choice.address, `tandem-bench-${Date.now().toString(36)}`));
    return { address: choice.address, namespace, persistenceMiB: () => null, stop: async () => undefined };
  }
  const namespace = choice.namespace ?? 'tandem-bench';
  const dbFile = choice.persist ? path.join(TEST_OUTPUT, `bench-temporal-${Date.now().toString(36)}.db`) : undefined;
  const server = await startDevServer({
    dbFile,
    uiPort: false,
    namespace,
    dynamicConfig: choice.dynamicConfig,
    logFile: path.join(TEST_OUTPUT, 'bench-temporal.log'),
  });
  return {
    address: server.address,
    namespace,
    serverPid: server.pid,
    persistenceMiB: () => (dbFile ? sqliteMiB(dbFile) : null),
    stop: () => server.stop(),
  };
}

/** The database file with its write-ahead log and shared-memory files. */
function sqliteMiB(dbFile: string): number {
  const dir = path.dirname(dbFile);
  const base = path.basename(dbFile);
  const bytes = readdirSync(dir)
    .filter((name) => name.startsWith(base))
    .reduce((sum, name) => sum + statSync(path.join(dir, name)).size, 0);
  return Math.round((bytes / 2 ** 20) * 10) / 10;
}

async function createNamespace(address: string, namespace: string): Promise<string> {
  await ensureTandemNamespace(address, namespace);
  return namespace;
}
