/**
 * `tandem start` as a new user runs it: one process with its own Temporal dev server (SQLite under DATA_DIR), both
 * sandboxes, the workers, the ingress and the console, every port moved to a free one. A project created in the
 * Salesforce sandbox console reaches Procore; Ctrl-C stops everything (exit 0, also when it arrives twice, as under
 * `npm start`), and a healthy start prints no warning; a second start finds everything again.
 */
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import got from 'got';
import { startTandemProcess, type TandemProcess } from '../support/process-harness';
import { projectSyncWorkflowId } from '../../workflows/project-sync/messages';
import { eventually } from '../support/eventually';
import { consoleUser, procoreProject, procoreProjectsByOrigin, type RunningSystem } from '../support/system';
import { READY, startOnFreePorts, type StartPorts } from './start-settings';

jest.setTimeout(90_000);

let env: NodeJS.ProcessEnv;
let ports: StartPorts;
let running: TandemProcess | undefined;
/** The consoles' user endpoints and the Procore API read only these two URLs. */
let sandboxes: RunningSystem;

async function startTandem(): Promise<{ process: TandemProcess; devServerPid: number }> {
  const started = await startTandemProcess('start', ['start'], env, READY, 60_000);
  running = started;
  return { process: started, devServerPid: Number(started.ready[1]) };
}

/**
 * Ctrl-C. `twice`: as in a terminal under `npm start`, where the terminal's SIGINT reaches the process and npm
 * forwards its own copy a moment later: the second once the first has been taken (its log line), so that the two
 * are not merged into one delivery.
 */
async function interrupt(started: TandemProcess, twice = false): Promise<number | string | null> {
  const exited = new Promise<number | string | null>((resolve) =>
    started.child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  started.child.kill('SIGINT');
  if (twice) {
    await eventually(() => started.stderr().includes('stopping: finishing in-flight work'), 'the stop begun', 5_000, 5);
    started.child.kill('SIGINT');
  }
  const timeout = new Promise<string>((resolve) =>
    setTimeout(() => resolve('still running after 30 s'), 30_000).unref(),
  );
  const result = await Promise.race([exited, timeout]);
  if (result !== 'still running after 30 s') running = undefined;
  return result;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function withTemporal<T>(use: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: `127.0.0.1:${ports.TEMPORAL_PORT}` });
  try {
    return await use(new Client({ connection, namespace: 'default' }));
  } finally {
    await connection.close();
  }
}

async function procoreByOrigin(salesforceId: string) {
  const found = await procoreProjectsByOrigin(sandboxes, salesforceId);
  return found.length === 1 ? found[0] : undefined;
}

/** The settings of a start on these ports, with a data folder of its own. */
function useStartPorts(picked: StartPorts): void {
  ports = picked;
  env = {
    ...Object.fromEntries(Object.entries(picked).map(([name, port]) => [name, String(port)])),
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'tandem-start-')),
    TANDEM_COALESCE_MS: '150',
    // Whatever the test run's shell holds, `start` must run on its own server and the sandboxes (TANDEM_SANDBOXES=auto).
    TEMPORAL_ADDRESS: undefined,
    TANDEM_SANDBOXES: undefined,
    SALESFORCE_LOGIN_URL: undefined,
    PROCORE_LOGIN_URL: undefined,
    PROCORE_API_URL: undefined,
  };
  sandboxes = {
    salesforceUrl: `http://127.0.0.1:${ports.SALESFORCE_SANDBOX_PORT}`,
    procoreUrl: `http://127.0.0.1:${ports.PROCORE_SANDBOX_PORT}`,
  } as RunningSystem;
}

afterAll(async () => {
  await running?.kill();
});

/** Resolves once the process's output has all arrived (its pipes close after it exits). */
function outputClosed(started: TandemProcess): Promise<void> {
  const { child } = started;
  if (child.stdout?.readableEnded && child.stderr?.readableEnded) return Promise.resolve();
  return new Promise((resolve) => child.once('close', () => resolve()));
}

/** Lines a healthy start printed that it should not: the activity-only workers' notice, Ajv's strict-mode note. */
const START_UP_NOISE = [/No workflows registered/, /strict mode:/, /allowUnionTypes/];

describe('tandem start', () => {
  let salesforceId: string;
  let procoreId: number;
  let devServerPid: number;
  let first: TandemProcess;

  it('reaches ready and syncs a project created in the Salesforce sandbox console to Procore', async () => {
    const started = await startOnFreePorts((picked) => {
      useStartPorts(picked);
      return startTandem();
    });
    devServerPid = started.devServerPid;
    first = started.process;
    const created = await consoleUser.createSalesforceProject(sandboxes, {
      Name: 'Start Test Tower',
      City__c: 'Seattle',
    });
    salesforceId = created.Id;
    const pc = await eventually(
      () => procoreByOrigin(salesforceId),
      `a Procore project with origin_id ${salesforceId}`,
      20_000,
      200,
    );
    procoreId = pc.id;
    expect(pc.name).toBe('Start Test Tower');
  });

  it('serves the Temporal UI and lists the ProjectSync workflow', async () => {
    const ui = await got(`http://127.0.0.1:${ports.TEMPORAL_UI_PORT}/`, { retry: { limit: 0 } });
    expect(ui.statusCode).toBe(200);
    const workflowId = projectSyncWorkflowId(salesforceId);
    const listed = await withTemporal((client) =>
      eventually(async () => {
        for await (const wf of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) return wf;
        return undefined;
      }, `${workflowId} in the workflow list`),
    );
    expect(listed.type).toBe('projectSync');
    expect(listed.status.name).toBe('RUNNING');
  });

  it('stops everything on Ctrl-C with exit code 0, the dev server included, when the Ctrl-C arrives twice', async () => {
    expect(await interrupt(running!, true)).toBe(0);
    expect(isAlive(devServerPid)).toBe(false);
    expect(await accepts(ports.TEMPORAL_PORT)).toBe(false);
  });

  it('printed no warning of its own from start to stop', async () => {
    await outputClosed(first);
    const stderr = first.stderr();
    expect(stderr).toContain('stopping: finishing in-flight work');
    for (const noise of START_UP_NOISE) expect(stderr).not.toMatch(noise);
  });

  it('finds every link and workflow again after a restart, and keeps syncing', async () => {
    await startTandem();
    const description = await withTemporal((client) =>
      client.workflow.getHandle(projectSyncWorkflowId(salesforceId)).describe(),
    );
    expect(description.status.name).toBe('RUNNING');
    expect((await procoreByOrigin(salesforceId))?.id).toBe(procoreId);

    await consoleUser.editSalesforceProject(sandboxes, salesforceId, { City__c: 'Tacoma' });
    await eventually(
      async () => (await procoreProject(sandboxes, procoreId)).city === 'Tacoma',
      'the edit in Procore',
      20_000,
      200,
    );
    expect(await interrupt(running!)).toBe(0);
  });
});
