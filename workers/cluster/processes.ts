/**
 * The cluster's processes run detached, each logging to its own file, and are recorded in the data folder's
 * state file: `tandem cluster down` (or the next `up`) stops what a previous `up` left running, even if whatever
 * started them is gone. A recorded pid is signalled only while /proc still shows the command we started there.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** A line in its log that says it is ready, or a probe that resolves true once it answers. */
  ready: RegExp | (() => Promise<boolean>);
}

const recordSchema = z.object({ pid: z.number().int(), cmdline: z.string(), log: z.string() });
/** Settings one process gets on top of its spec (a deploy's new build, a test's tuning); kept across restarts. */
const overrideSchema = z.object({
  env: z.record(z.string(), z.string()).optional(),
  args: z.array(z.string()).optional(),
});
const stateSchema = z.object({
  portBase: z.number().int(),
  processes: z.record(z.string(), recordSchema),
  overrides: z.record(z.string(), overrideSchema).optional(),
});

export type ProcessRecord = z.infer<typeof recordSchema>;
export type ProcessOverride = z.infer<typeof overrideSchema>;
export type ClusterState = z.infer<typeof stateSchema>;

export function readState(stateFile: string): ClusterState | undefined {
  if (!existsSync(stateFile)) return undefined;
  const parsed = stateSchema.safeParse(JSON.parse(readFileSync(stateFile, 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

export function withOverride(spec: ProcessSpec, override: ProcessOverride | undefined): ProcessSpec {
  if (!override) return spec;
  return { ...spec, env: { ...spec.env, ...override.env }, args: [...spec.args, ...(override.args ?? [])] };
}

export function writeState(stateFile: string, state: ClusterState): void {
  writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

function procCmdline(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '');
  } catch {
    return undefined;
  }
}

/** Whether the recorded process still runs (and is still ours, not a reused pid). */
export function isAlive(record: ProcessRecord): boolean {
  return procCmdline(record.pid) === record.cmdline;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitGone(record: ProcessRecord, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(record)) return true;
    await sleep(100);
  }
  return !isAlive(record);
}

/** SIGTERM (in-flight work finishes), then SIGKILL after the grace period; `kill` skips the grace. */
export async function stopProcess(record: ProcessRecord, how: 'stop' | 'kill' = 'stop', graceMs = 20_000) {
  if (!isAlive(record)) return;
  try {
    process.kill(record.pid, how === 'kill' ? 'SIGKILL' : 'SIGTERM');
  } catch {
    return;
  }
  if (await waitGone(record, how === 'kill' ? 5_000 : graceMs)) return;
  try {
    process.kill(record.pid, 'SIGKILL');
  } catch {
    return;
  }
  await waitGone(record, 5_000);
}

function logSince(file: string, offset: number): string {
  try {
    return readFileSync(file, 'utf8').slice(offset);
  } catch {
    return '';
  }
}

async function waitReady(spec: ProcessSpec, record: ProcessRecord, offset: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(record)) {
      const tail = logSince(record.log, offset).trim().split('\n').slice(-5).join('\n  ');
      throw new Error(`${spec.name} exited during start-up; its log ${record.log} ends:\n  ${tail}`);
    }
    const ready =
      spec.ready instanceof RegExp
        ? spec.ready.test(logSince(record.log, offset))
        : await spec.ready().catch(() => false);
    if (ready) return;
    await sleep(200);
  }
  throw new Error(`${spec.name} was not ready within ${timeoutMs} ms; see ${record.log}`);
}

/**
 * Starts a process detached from this one (it outlives `tandem cluster up`) and waits until it is ready.
 * `started` hears of it before the wait, so a process that never gets ready is still recorded and stopped.
 */
export async function startProcess(
  spec: ProcessSpec,
  logDir: string,
  started: (record: ProcessRecord) => void = () => undefined,
  timeoutMs = 180_000,
): Promise<ProcessRecord> {
  mkdirSync(logDir, { recursive: true });
  const log = path.join(logDir, `${spec.name}.log`);
  const offset = existsSync(log) ? statSync(log).size : 0;
  const fd = openSync(log, 'a');
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const pid = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', () => resolve(child.pid ?? -1));
  });
  child.unref();
  const record = { pid, cmdline: [spec.command, ...spec.args].join('\0'), log };
  started(record);
  await waitReady(spec, record, offset, timeoutMs);
  return record;
}
