/**
 * The Temporal dev server of `tandem start` runs in its own process group, so a `tandem start` killed outright
 * (SIGKILL, the OOM killer) leaves it running and holding its ports. Its pid file under DATA_DIR lets the next start
 * with the same data folder recognise that orphan and stop it. A pid alone could by then name an unrelated
 * process, so the file also keeps each process's start time (and the server's database file), and only a process
 * matching all of them is stopped.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { errors } from '../../common/errors';
import type { Logger } from '../../common/logger';

const recordSchema = z.object({
  pid: z.number().int().positive(),
  startedAt: z.string(),
  dbFile: z.string(),
  owner: z.object({ pid: z.number().int().positive(), startedAt: z.string() }),
});

type DevServerRecord = z.infer<typeof recordSchema>;

export const pidFile = (dataDir: string) => path.join(dataDir, 'temporal.pid');

/** When the process started, as the kernel tells it (stable for the process's life); undefined if it is gone. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime); the command name in field 2 may hold spaces, so count from its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return startTimeFromPs(pid);
  }
}

function startTimeFromPs(pid: number): string | undefined {
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return out || undefined;
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    try {
      return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
    } catch {
      return '';
    }
  }
}

function readRecord(dataDir: string): DevServerRecord | undefined {
  try {
    return recordSchema.parse(JSON.parse(readFileSync(pidFile(dataDir), 'utf8')));
  } catch {
    return undefined;
  }
}

export function recordDevServer(dataDir: string, pid: number, dbFile: string): void {
  const record: DevServerRecord = {
    pid,
    startedAt: processStartTime(pid) ?? '',
    dbFile,
    owner: { pid: process.pid, startedAt: processStartTime(process.pid) ?? '' },
  };
  writeFileSync(pidFile(dataDir), `${JSON.stringify(record)}\n`);
}

export function forgetDevServer(dataDir: string): void {
  rmSync(pidFile(dataDir), { force: true });
}

const isSameProcess = (pid: number, startedAt: string) => startedAt !== '' && processStartTime(pid) === startedAt;

async function waitForExit(pid: number, startedAt: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isSameProcess(pid, startedAt)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isSameProcess(pid, startedAt);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone already.
  }
}

/**
 * Stops the dev server a dead `tandem start` left behind on this data folder. Refuses (a configuration error)
 * when that `tandem start` is in fact still running: two of them must not share a data folder.
 */
export async function stopOrphanedDevServer(dataDir: string, logger: Logger): Promise<void> {
  const record = readRecord(dataDir);
  if (!record) return;
  if (record.owner.pid !== process.pid && isSameProcess(record.owner.pid, record.owner.startedAt))
    throw errors.DATA_DIR_IN_USE(dataDir, record.owner.pid);
  const ours = isSameProcess(record.pid, record.startedAt) && commandLine(record.pid).includes(record.dbFile);
  if (ours) {
    logger.warn({ pid: record.pid }, 'stopping the Temporal dev server a previous tandem start left running');
    signal(record.pid, 'SIGTERM');
    if (!(await waitForExit(record.pid, record.startedAt, 10_000))) {
      signal(record.pid, 'SIGKILL');
      await waitForExit(record.pid, record.startedAt, 5_000);
    }
  }
  forgetDevServer(dataDir);
}
