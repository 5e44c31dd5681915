/**
 * A throwaway PostgreSQL cluster under the data folder, on a private port with its socket in its own folder, so
 * the machine's own PostgreSQL (if any) is untouched. initdb refuses root, so as root it runs as `postgres`.
 * The superuser is `temporal` (as the postgres image makes POSTGRES_USER in docker-compose.yml).
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ClusterLayout } from './layout';
import { CLUSTER_HOST } from './layout';

const exec = promisify(execFile);

/** Above the default 100: each Temporal service in the server process keeps its own pools. */
export const POSTGRES_SETTINGS = { max_connections: 200 } as const;
export const DB_USER = 'temporal';

const asRoot = () => process.getuid?.() === 0;

function postgresIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root needs the postgres user (Debian postgresql packages create it)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Runs a PostgreSQL tool as the postgres user when we are root, as ourselves otherwise. */
function pgTool(bin: string, tool: string, args: string[]) {
  const file = path.join(bin, tool);
  return asRoot() ? exec('runuser', ['-u', 'postgres', '--', file, ...args]) : exec(file, args);
}

function ownFolderForPostgres(dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (!asRoot()) return;
  const { uid, gid } = postgresIds();
  chownSync(dir, uid, gid);
  chmodSync(dir, 0o700);
}

/** The Temporal database password for this data folder, made on first use. */
export function databasePassword(layout: ClusterLayout): string {
  if (!existsSync(layout.passwordFile)) {
    const password = `tandem-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    writeFileSync(layout.passwordFile, password, { mode: 0o600 });
  }
  return readFileSync(layout.passwordFile, 'utf8').trim();
}

/** As root, PostgreSQL runs as `postgres`, which must be able to walk down to the data folder. */
function assertReachableByPostgres(dir: string): void {
  for (let parent = path.dirname(dir); parent !== path.dirname(parent); parent = path.dirname(parent)) {
    if ((statSync(parent).mode & 0o001) === 0)
      throw new Error(
        `PostgreSQL runs as the postgres user, which cannot enter ${parent}: choose a data folder elsewhere (--data)`,
      );
  }
}

export async function initPostgres(layout: ClusterLayout, bin: string): Promise<void> {
  if (existsSync(path.join(layout.postgresData, 'PG_VERSION'))) return;
  if (asRoot()) {
    assertReachableByPostgres(layout.dataDir);
    chmodSync(layout.dataDir, 0o755);
  }
  ownFolderForPostgres(layout.postgresDir);
  const pwfile = path.join(layout.postgresDir, 'pw');
  writeFileSync(pwfile, databasePassword(layout), { mode: 0o600 });
  if (asRoot()) chownSync(pwfile, postgresIds().uid, postgresIds().gid);
  try {
    await pgTool(bin, 'initdb', [
      '-D',
      layout.postgresData,
      '-U',
      DB_USER,
      `--pwfile=${pwfile}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
    ]);
  } finally {
    writeFileSync(pwfile, '');
  }
}

export async function startPostgres(layout: ClusterLayout, bin: string): Promise<void> {
  const options = [
    `-p ${layout.ports.postgres}`,
    `-k ${layout.postgresDir}`,
    `-c listen_addresses=${CLUSTER_HOST}`,
    ...Object.entries(POSTGRES_SETTINGS).map(([key, value]) => `-c ${key}=${value}`),
  ].join(' ');
  await pgTool(bin, 'pg_ctl', [
    '-D',
    layout.postgresData,
    '-l',
    path.join(layout.postgresDir, 'postgresql.log'),
    '-o',
    options,
    '-w',
    'start',
  ]);
}

export function postgresRunning(layout: ClusterLayout): boolean {
  return existsSync(path.join(layout.postgresData, 'postmaster.pid'));
}

export async function stopPostgres(layout: ClusterLayout, bin: string): Promise<void> {
  if (!postgresRunning(layout)) return;
  await pgTool(bin, 'pg_ctl', ['-D', layout.postgresData, '-m', 'fast', '-w', 'stop']).catch((err: Error) => {
    // A stale postmaster.pid after a crash: nothing runs, nothing to stop.
    if (!/not running|No such process/i.test(err.message)) throw err;
  });
}

/** The postmaster's pid, for the banner and memory figures. */
export function postgresPid(layout: ClusterLayout): number | undefined {
  try {
    return Number(readFileSync(path.join(layout.postgresData, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}
