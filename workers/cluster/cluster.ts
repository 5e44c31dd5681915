/**
 * `tandem cluster up|down|restart|status`: the production shape on this machine, as separate processes that
 * outlive the command, recorded in the data folder so that `down` (or the next `up`) finds them.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { assertPortsFree } from '../local-system/ports';
import { address, CLUSTER_HOST, clusterLayout, url, type ClusterLayout, type ClusterPorts } from './layout';
import { ensureTandemNamespace } from '../temporal/namespace';
import { databasePassword, initPostgres, postgresPid, startPostgres, stopPostgres } from './postgres';
import {
  isAlive,
  readState,
  startProcess,
  stopProcess,
  withOverride,
  writeState,
  type ClusterState,
  type ProcessOverride,
} from './processes';
import { clusterToolPaths, ensureClusterTools, postgresBinDir, type ClusterTools } from './provision';
import { allSpecs, CLUSTER_NAMESPACE, clusterSpecs } from './specs';
import { setupSchema } from './temporal';

export interface ClusterOptions {
  dataDir: string;
  portBase?: number;
  /** Progress lines, e.g. to stderr. */
  report?: (line: string) => void;
  /** Extra settings by process name, kept in the state file so that `restart` keeps them. */
  overrides?: Record<string, ProcessOverride>;
}

export interface RunningCluster {
  layout: ClusterLayout;
  namespace: string;
  temporalAddress: string;
  temporalUiUrl: string;
  ingressUrl: string;
  salesforceUrl: string;
  procoreUrl: string;
  /** Process name to pid, PostgreSQL's postmaster included. */
  pids: Record<string, number>;
  /** Seconds from the call to everything answering. */
  upSeconds: number;
}

function knownTools(): ClusterTools {
  return { ...clusterToolPaths(), postgresBin: postgresBinDir() };
}

function portClaims(ports: ClusterPorts) {
  return Object.entries(ports).map(([setting, port]) => ({
    setting: `cluster port ${setting}`,
    port,
    host: CLUSTER_HOST,
    purpose: setting,
  }));
}

/** Shut down in waves: Tandem's processes finish their in-flight work while the systems and Temporal still run. */
const STOP_WAVES: ((name: string) => boolean)[] = [
  (name) => /^(worker|cdc|ingress)/.test(name),
  (name) => /sandbox$|^temporal-ui$/.test(name),
  () => true,
];

/** Stops whatever the data folder's state says runs, Tandem parts first and PostgreSQL last. */
export async function clusterDown(dataDir: string, report: (line: string) => void = () => undefined) {
  const state = readState(clusterLayout(dataDir).stateFile);
  const layout = clusterLayout(dataDir, state?.portBase);
  let remaining = Object.entries(state?.processes ?? {}).filter(([, record]) => isAlive(record));
  for (const wave of STOP_WAVES) {
    const now = remaining.filter(([name]) => wave(name));
    remaining = remaining.filter(([name]) => !wave(name));
    await Promise.all(
      now.map(async ([name, record]) => {
        const started = Date.now();
        await stopProcess(record);
        report(`stopped ${name} (pid ${record.pid}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }),
    );
  }
  if (postgresPid(layout) !== undefined) {
    report('stopping postgresql');
    await stopPostgres(layout, postgresBinDir());
  }
  if (state) writeState(layout.stateFile, { ...state, processes: {} });
}

export async function clusterUp(options: ClusterOptions): Promise<RunningCluster> {
  const started = Date.now();
  const report = options.report ?? (() => undefined);
  const layout = clusterLayout(options.dataDir, options.portBase);
  mkdirSync(layout.dataDir, { recursive: true });
  await clusterDown(layout.dataDir, report);
  const tools = await ensureClusterTools();
  await assertPortsFree(portClaims(layout.ports));

  const state: ClusterState = { portBase: layout.portBase, processes: {}, overrides: options.overrides };
  writeState(layout.stateFile, state);
  report(`postgresql ${layout.ports.postgres}`);
  await initPostgres(layout, tools.postgresBin);
  await startPostgres(layout, tools.postgresBin);
  const password = databasePassword(layout);
  await setupSchema(layout, tools, password);

  const specs = clusterSpecs(layout, tools, password);
  const start = async (spec: (typeof specs.tandem)[number]) => {
    report(`starting ${spec.name}`);
    await startProcess(withOverride(spec, state.overrides?.[spec.name]), layout.logDir, (record) => {
      state.processes[spec.name] = record;
      writeState(layout.stateFile, state);
    });
  };
  const [server, ui] = specs.temporal;
  await start(server);
  await ensureTandemNamespace(address(layout.ports.temporalFrontend), CLUSTER_NAMESPACE);
  await start(ui);
  // Sandboxes side by side, then the Tandem parts. The ingresses start one after the other, as in a rolling
  // deploy: each registers the Procore webhook at start, and two registering at once could both create it.
  await Promise.all(specs.sandboxes.map(start));
  const ingresses = specs.tandem.filter((spec) => /^ingress-\d$/.test(spec.name));
  await Promise.all(specs.tandem.filter((spec) => !ingresses.includes(spec)).map(start));
  for (const spec of ingresses) await start(spec);
  return describeCluster(layout, (Date.now() - started) / 1000);
}

function describeCluster(layout: ClusterLayout, upSeconds: number): RunningCluster {
  const state = readState(layout.stateFile);
  const pids = Object.fromEntries(Object.entries(state?.processes ?? {}).map(([name, r]) => [name, r.pid]));
  const postmaster = postgresPid(layout);
  const { ports } = layout;
  return {
    layout,
    namespace: CLUSTER_NAMESPACE,
    temporalAddress: address(ports.temporalFrontend),
    temporalUiUrl: url(ports.temporalUi),
    ingressUrl: url(ports.ingress),
    salesforceUrl: url(ports.salesforceSandbox),
    procoreUrl: url(ports.procoreSandbox),
    pids: { ...(postmaster ? { postgresql: postmaster } : {}), ...pids },
    upSeconds,
  };
}

/** The cluster a data folder describes, if `up` ran there. */
export function runningCluster(dataDir: string): RunningCluster | undefined {
  const state = readState(clusterLayout(dataDir).stateFile);
  return state ? describeCluster(clusterLayout(dataDir, state.portBase), 0) : undefined;
}

/** The names `restart` accepts: every process but PostgreSQL. */
export function processNames(dataDir: string): string[] {
  return Object.keys(readState(clusterLayout(dataDir).stateFile)?.processes ?? {});
}

/**
 * Stops one process and starts it again with the same settings: a Temporal server restart, or one step of a
 * rolling restart of the workers onto new code. `kill` ends it with SIGKILL instead of letting work finish.
 * `override` changes its settings from now on (e.g. TANDEM_WORKFLOW_BUNDLE: the build a rolling deploy brings).
 */
export async function restartClusterProcess(
  dataDir: string,
  name: string,
  how: 'stop' | 'kill' = 'stop',
  override?: ProcessOverride,
) {
  const state = readState(clusterLayout(dataDir).stateFile);
  if (!state) throw new Error(`no cluster in ${dataDir}: run tandem cluster up first`);
  const layout = clusterLayout(dataDir, state.portBase);
  const spec = allSpecs(clusterSpecs(layout, knownTools(), databasePassword(layout))).find((s) => s.name === name);
  if (!spec)
    throw new Error(`no process '${name}' in the cluster; there are: ${Object.keys(state.processes).join(', ')}`);
  if (override) state.overrides = { ...state.overrides, [name]: override };
  const record = state.processes[name];
  if (record) await stopProcess(record, how);
  const started = await startProcess(withOverride(spec, state.overrides?.[name]), layout.logDir, (record) => {
    state.processes[name] = record;
    writeState(layout.stateFile, state);
  });
  return started.pid;
}

/** Stops one process without starting it again (e.g. to show the other ingress takes over). */
export async function stopClusterProcess(dataDir: string, name: string, how: 'stop' | 'kill' = 'stop') {
  const record = readState(clusterLayout(dataDir).stateFile)?.processes[name];
  if (!record) throw new Error(`no process '${name}' in the cluster in ${dataDir}`);
  await stopProcess(record, how);
}

/** Resident memory of a process and its children's peak, in MiB, from /proc. */
export function residentMiB(pid: number): { rss: number; peak: number } | undefined {
  const path = `/proc/${pid}/status`;
  if (!existsSync(path)) return undefined;
  const status = readFileSync(path, 'utf8');
  // A zombie (exited, not yet reaped by its parent) holds no memory and is not running.
  if (/^State:\s+Z/m.test(status)) return undefined;
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: Math.round(kib('VmRSS') / 1024), peak: Math.round(kib('VmHWM') / 1024) };
}
