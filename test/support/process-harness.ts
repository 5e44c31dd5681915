/** Tandem processes started the way an operator starts them (`node bin/tandem.js …`), for end-to-end tests and benchmarks. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
export const TEST_OUTPUT = path.join(ROOT, 'test-output');

export interface TandemProcess {
  name: string;
  child: ChildProcess;
  /** The first match of the ready pattern (e.g. a URL). */
  ready: RegExpMatchArray;
  /** What it wrote to stderr so far (its first MiB: start-up warnings, the first errors). */
  stderr(): string;
  /** SIGTERM, then SIGKILL if it has not exited in time; resolves with the exit code or signal. */
  stop(graceMs?: number): Promise<number | string | null>;
  kill(): Promise<number | string | null>;
}

function exited(child: ChildProcess): Promise<number | string | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? child.signalCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
}

/** The stderr a process keeps for stderr(): enough for its start-up, bounded for a long soak run. */
const STDERR_KEPT = 1024 * 1024;

/** CI's machine, with the cluster test beside another test file, has taken over a minute to start a seeded sandbox. */
const READY_WITHIN_MS = 120_000;

export async function startTandemProcess(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs = READY_WITHIN_MS,
): Promise<TandemProcess> {
  return startNodeProcess(name, [path.join(ROOT, 'bin', 'tandem.js'), ...args], env, ready, timeoutMs);
}

/** A TypeScript entry point of this repository (e.g. a benchmark's helper process), run through tsx like the CLI. */
export async function startTypeScriptProcess(
  name: string,
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs = READY_WITHIN_MS,
): Promise<TandemProcess> {
  return startNodeProcess(name, ['--require', 'tsx/cjs', path.resolve(ROOT, entry), ...args], env, ready, timeoutMs);
}

async function startNodeProcess(
  name: string,
  nodeArgs: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs: number,
): Promise<TandemProcess> {
  mkdirSync(TEST_OUTPUT, { recursive: true });
  const log = createWriteStream(path.join(TEST_OUTPUT, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, nodeArgs, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < STDERR_KEPT) stderr += chunk.toString();
  });
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    let seen = '';
    // A part that is not ready in time is killed: left running, it would join the system unseen.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} not ready within ${timeoutMs} ms; see test-output/${name}.log`));
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const found = seen.match(ready);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready; see test-output/${name}.log`));
    });
  });
  const stop = async (graceMs = 15_000) => {
    const done = exited(child);
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await done;
    clearTimeout(timer);
    return code;
  };
  const kill = async () => {
    const done = exited(child);
    child.kill('SIGKILL');
    return done;
  };
  return { name, child, ready: match, stderr: () => stderr, stop, kill };
}
