/**
 * `tandem start` killed outright (SIGKILL: a crash, the OOM killer) cannot stop its Temporal dev server, which runs
 * in its own process group. The next start with the same data folder recognises that orphan from the pid file
 * (pid, start time and database file all matching) and stops it, then starts as usual and finds its workflows.
 * A pid file naming a live process that is not that server stops nothing; a second start on a folder whose
 * `tandem start` still runs is refused.
 */
import { spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createLogger } from '../../common/logger';
import { pidFile, processStartTime, stopOrphanedDevServer } from '../../workers/local-system/dev-server-pid';
import { startTandemProcess, type TandemProcess } from '../support/process-harness';
import { READY, startOnFreePorts, type StartPorts } from './start-settings';

jest.setTimeout(150_000);

const ROOT = path.resolve(__dirname, '../..');
let env: NodeJS.ProcessEnv;
let temporalPort: number;
const running: TandemProcess[] = [];
const strays: number[] = [];

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startTandem(): Promise<{ process: TandemProcess; devServerPid: number }> {
  const started = await startTandemProcess('crash-recovery', ['start'], env, READY, 90_000);
  running.push(started);
  return { process: started, devServerPid: Number(started.ready[1]) };
}

async function workflowCount(): Promise<number> {
  const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
  try {
    const client = new Client({ connection, namespace: 'default' });
    return (await client.workflow.count('')).count;
  } finally {
    await connection.close();
  }
}

/** The settings of a start on these ports, with a data folder of its own unless given one. */
function useStartPorts(picked: StartPorts, dataDir = mkdtempSync(path.join(os.tmpdir(), 'tandem-crash-'))): void {
  temporalPort = picked.TEMPORAL_PORT;
  env = {
    ...Object.fromEntries(Object.entries(picked).map(([name, port]) => [name, String(port)])),
    DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: undefined,
    TANDEM_SANDBOXES: undefined,
    SALESFORCE_LOGIN_URL: undefined,
    PROCORE_LOGIN_URL: undefined,
    PROCORE_API_URL: undefined,
  };
}

afterAll(async () => {
  // SIGTERM: a running start stops its own dev server; the pid check below catches any it could not.
  for (const started of running) await started.stop();
  for (const pid of strays) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
});

describe('tandem start after a SIGKILL', () => {
  it('stops the orphaned dev server on the next start, and finds its workflows again', async () => {
    const first = await startOnFreePorts((picked) => {
      useStartPorts(picked);
      return startTandem();
    });
    strays.push(first.devServerPid);
    const before = await workflowCount();
    expect(await first.process.kill()).toBe('SIGKILL');
    // The orphan: still serving, still holding the port.
    expect(isAlive(first.devServerPid)).toBe(true);

    // Same data folder; new ports if the first pick is taken before the new dev server binds it (CI saw another
    // process take the orphan's freed gRPC port in that moment: "bind: address already in use", exit 2).
    const dataDir = env.DATA_DIR!;
    const second = await startOnFreePorts((picked) => {
      useStartPorts(picked, dataDir);
      return startTandem();
    });
    strays.push(second.devServerPid);
    expect(isAlive(first.devServerPid)).toBe(false);
    expect(second.devServerPid).not.toBe(first.devServerPid);
    expect(await workflowCount()).toBeGreaterThanOrEqual(before);
    const record = JSON.parse(readFileSync(pidFile(env.DATA_DIR!), 'utf8')) as { pid: number };
    expect(record.pid).toBe(second.devServerPid);
  });

  it('refuses a second start on the same data folder while the first runs (exit 2), and stops nothing', async () => {
    const record = JSON.parse(readFileSync(pidFile(env.DATA_DIR!), 'utf8')) as { pid: number };
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['bin/tandem.js', 'start'],
        { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 },
        (_err, _stdout, err) => resolve({ code: child.exitCode, stderr: err }),
      );
    });
    expect(code).toBe(2);
    expect(stderr).toContain(`The data folder ${env.DATA_DIR} is in use by another tandem start`);
    expect(isAlive(record.pid)).toBe(true);
  });
});

describe('the pid file', () => {
  it('never stops a live process whose identity does not match the record', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tandem-pidfile-'));
    const bystander = spawn('sleep', ['60'], { stdio: 'ignore' });
    strays.push(bystander.pid!);
    const startedAt = processStartTime(bystander.pid!);
    expect(startedAt).toBeDefined();
    const logger = createLogger('pidfile-test', 'silent');
    const write = (record: Record<string, unknown>) =>
      writeFileSync(
        pidFile(dataDir),
        JSON.stringify({ dbFile: path.join(dataDir, 'temporal.sqlite'), owner: { pid: 1, startedAt: 'x' }, ...record }),
      );

    // A reused pid (another start time), then the right start time but not a dev server on this folder.
    write({ pid: bystander.pid, startedAt: `${startedAt}0` });
    await stopOrphanedDevServer(dataDir, logger);
    write({ pid: bystander.pid, startedAt });
    await stopOrphanedDevServer(dataDir, logger);
    expect(isAlive(bystander.pid!)).toBe(true);
    bystander.kill('SIGKILL');
  });
});
