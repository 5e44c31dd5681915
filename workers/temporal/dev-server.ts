/**
 * Starts and stops a real `temporal server start-dev` for tests, `npm start` and the benchmark.
 * It only ever stops the process it started itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ensureTemporalCli } from './temporal-cli';
import { SEARCH_ATTRIBUTE_KEYS } from '../../workflows/search-attributes';

/** Search attributes every Tandem namespace needs; the dev server registers them at start. */
export const SEARCH_ATTRIBUTES = SEARCH_ATTRIBUTE_KEYS.map((key) => key.name);

export interface DevServerOptions {
  /** gRPC port; 0 or undefined picks a free one. */
  port?: number;
  /** Web UI port; undefined means port + 1000, `false` runs headless. */
  uiPort?: number | false;
  ip?: string;
  namespace?: string;
  /** More namespaces to create at start; each gets the search attributes too. */
  extraNamespaces?: string[];
  /** SQLite file that makes workflows survive a restart; in memory without it. */
  dbFile?: string;
  /** Where the server's own log goes; discarded without it. */
  logFile?: string;
  dynamicConfig?: Record<string, unknown>;
  metricsPort?: number;
  readyTimeoutMs?: number;
  /**
   * Its own process group, so a terminal's Ctrl-C reaches only the parent (`tandem start`), which stops the server
   * last, after its workers have finished their in-flight tasks against it.
   */
  detached?: boolean;
  /** Called as soon as the process exists, before it serves: `tandem start` records it for crash recovery. */
  onSpawn?: (pid: number) => void;
}

export interface DevServer {
  address: string;
  namespace: string;
  uiUrl?: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The dev server's defaults are tuned for a busy cluster: short timers may fire up to a second late and task queues
 * are split into partitions. A single-node server for one sync deployment answers faster with these.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Record<string, unknown> = {
  'history.timerProcessorMaxTimeShift': '10ms',
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
};

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function buildArgs(
  opts: Required<Pick<DevServerOptions, 'ip' | 'namespace'>> & DevServerOptions,
  port: number,
  uiPort: number | false,
): string[] {
  const args = [
    'server',
    'start-dev',
    '--ip',
    opts.ip,
    '--port',
    String(port),
    '--namespace',
    opts.namespace,
    '--log-level',
    'warn',
  ];
  if (uiPort === false) args.push('--headless');
  else args.push('--ui-port', String(uiPort));
  for (const extra of opts.extraNamespaces ?? []) args.push('--namespace', extra);
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.metricsPort) args.push('--metrics-port', String(opts.metricsPort));
  for (const name of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${name}=Keyword`);
  for (const [key, value] of Object.entries({ ...DEV_SERVER_DYNAMIC_CONFIG, ...opts.dynamicConfig })) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  return args;
}

async function waitUntilServing(
  address: string,
  namespace: string,
  child: ChildProcess,
  timeoutMs: number,
  logFile?: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(
        `temporal dev server exited early with code ${child.exitCode}${logFile ? ` (its output: ${logFile})` : ''}`,
      );
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`temporal dev server at ${address} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const cli = await ensureTemporalCli();
  const ip = options.ip ?? '127.0.0.1';
  const namespace = options.namespace ?? 'default';
  const port = options.port || (await freePort(ip));
  const uiPort = options.uiPort === false ? false : options.uiPort || (options.port ? port + 1000 : await freePort(ip));
  if (options.dbFile) mkdirSync(path.dirname(options.dbFile), { recursive: true });

  const child = spawn(cli, buildArgs({ ...options, ip, namespace }, port, uiPort), {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  if (options.logFile) {
    mkdirSync(path.dirname(options.logFile), { recursive: true });
    const log = createWriteStream(options.logFile, { flags: 'a' });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  } else {
    child.stdout?.resume();
    child.stderr?.resume();
  }

  const address = `${ip}:${port}`;
  try {
    await waitUntilServing(address, namespace, child, options.readyTimeoutMs ?? 60_000, options.logFile);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return {
    address,
    namespace,
    uiUrl: uiPort === false ? undefined : `http://${ip}:${uiPort}`,
    pid: child.pid ?? -1,
    stop: () => stopChild(child),
  };
}
