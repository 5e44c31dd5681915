/**
 * Provisions the production shape's third-party parts once, like the Temporal CLI (temporal-cli.ts): the Temporal
 * server and its SQL schema tool and the Web UI server are built from the Go module proxy into
 * `.tools/cluster/<version>/` (minutes the first time, nothing after), and PostgreSQL is Debian's package,
 * installed with apt-get when missing and allowed (root).
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../common/project-root';
import { CLUSTER_VERSIONS, GO_MODULES } from './versions';

const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools', 'cluster');
const POSTGRES_PACKAGE = `postgresql-${CLUSTER_VERSIONS.postgres}`;

export interface ClusterTools {
  temporalServer: string;
  temporalSqlTool: string;
  temporalUi: string;
  /** Debian's PostgreSQL binaries (initdb, pg_ctl, postgres). */
  postgresBin: string;
}

export class ClusterToolsUnavailable extends Error {
  readonly code = 'TANDEM_CLUSTER_TOOLS_UNAVAILABLE';
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where each binary lands; the UI server is also called `server`, so it gets its own folder. */
export function clusterToolPaths(): Omit<ClusterTools, 'postgresBin'> {
  const serverDir = path.join(TOOLS_DIR, `temporal-${CLUSTER_VERSIONS.temporalServer}`);
  return {
    temporalServer: path.join(serverDir, 'server'),
    temporalSqlTool: path.join(serverDir, 'sql'),
    temporalUi: path.join(TOOLS_DIR, `ui-${CLUSTER_VERSIONS.temporalUi}`, 'server'),
  };
}

export function postgresBinDir(): string {
  return `/usr/lib/postgresql/${CLUSTER_VERSIONS.postgres}/bin`;
}

/** Runs a command with its output passed to stderr, so a long build shows progress. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new ClusterToolsUnavailable(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

async function goInstall(modules: string[], binDir: string): Promise<void> {
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0)
    throw new ClusterToolsUnavailable(
      `Go is needed to build ${modules.join(', ')} (the Temporal server needs Go >= 1.25): install it, then retry`,
    );
  mkdirSync(binDir, { recursive: true });
  process.stderr.write(`tandem: go install ${modules.join(' ')} into ${binDir} (minutes the first time)\n`);
  await run('go', ['install', ...modules], { ...process.env, GOBIN: binDir, GOTOOLCHAIN: 'local' });
}

async function ensurePostgres(): Promise<string> {
  const bin = postgresBinDir();
  if (isExecutable(path.join(bin, 'initdb'))) return bin;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt)
    throw new ClusterToolsUnavailable(
      `PostgreSQL ${CLUSTER_VERSIONS.postgres} is missing (${bin}/initdb). Install it with\n` +
        `  sudo apt-get update && sudo apt-get install -y ${POSTGRES_PACKAGE}\n`,
    );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  process.stderr.write(`tandem: installing ${POSTGRES_PACKAGE} with apt-get\n`);
  await run('apt-get', ['update'], env);
  await run('apt-get', ['install', '-y', '--no-install-recommends', POSTGRES_PACKAGE], env);
  if (!isExecutable(path.join(bin, 'initdb')))
    throw new ClusterToolsUnavailable(`apt-get installed ${POSTGRES_PACKAGE}, but ${bin}/initdb is still missing`);
  return bin;
}

/** The tools, installing whatever is missing. */
export async function ensureClusterTools(): Promise<ClusterTools> {
  const paths = clusterToolPaths();
  const postgresBin = await ensurePostgres();
  if (!isExecutable(paths.temporalServer) || !isExecutable(paths.temporalSqlTool))
    await goInstall([GO_MODULES.temporalServer, GO_MODULES.temporalSqlTool], path.dirname(paths.temporalServer));
  if (!isExecutable(paths.temporalUi)) await goInstall([GO_MODULES.temporalUi], path.dirname(paths.temporalUi));
  return { ...paths, postgresBin };
}
