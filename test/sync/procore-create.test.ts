/**
 * Creating the Procore project, against the Procore sandbox over HTTP with the real activity: an attempt stops
 * before Temporal could time it out and retry it (so attempts never overlap), and a retry finds what an earlier
 * attempt created instead of creating a second project.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import got from 'got';
import { loadConfig } from '../../common/config';
import { createProcoreActivities } from '../../activities/procore/project-activities';
import type { FoundOrCreatedProject } from '../../activities/procore/types';
import { startProcoreSandbox, type ProcoreSandbox } from '../../sandbox/procore';
import { procoreClient } from '../../workers/systems';

let sandbox: ProcoreSandbox;
const faults = (json: Record<string, unknown>) =>
  got.post(`${sandbox.url}/sandbox/faults`, { json, throwHttpErrors: true });

beforeAll(async () => {
  sandbox = await startProcoreSandbox({ port: 0, logger: false });
});

afterAll(async () => {
  await sandbox?.close();
});

function activities() {
  const config = loadConfig({ PROCORE_LOGIN_URL: sandbox.url, PROCORE_API_URL: sandbox.url });
  return createProcoreActivities(procoreClient(config));
}

describe('findOrCreateProcoreProject', () => {
  it('ends an attempt before its timeouts when Procore is slow, heartbeating before each request', async () => {
    const create = activities();
    await create.readProcoreProject('1').catch(() => undefined); // a token first, outside the slow part
    await faults({ latencyMs: 4000 });
    const env = new MockActivityEnvironment({ startToCloseTimeoutMs: 8000, heartbeatTimeoutMs: 5000 });
    let beats = 0;
    env.on('heartbeat', () => beats++);
    const started = Date.now();
    try {
      await expect(
        env.run(create.findOrCreateProcoreProject, 'a0X8d0000000777EAA', { name: 'Slow Yard' }),
      ).rejects.toMatchObject({
        message: expect.stringMatching(/Timeout awaiting 'request'|deadline/),
      });
      // Each request is cut at the heartbeat timeout less a margin (2 s here), far inside start-to-close (8 s).
      expect(Date.now() - started).toBeLessThan(5000);
      expect(beats).toBeGreaterThanOrEqual(1);
    } finally {
      await got.delete(`${sandbox.url}/sandbox/faults`);
    }
  });

  it('finds the project an earlier attempt created instead of creating another', async () => {
    const create = activities();
    const env = new MockActivityEnvironment({ startToCloseTimeoutMs: 60_000, heartbeatTimeoutMs: 25_000 });
    const first: FoundOrCreatedProject = await env.run(create.findOrCreateProcoreProject, 'a0X8d0000000778EAA', {
      name: 'Once Only',
    });
    const retried = await env.run(create.findOrCreateProcoreProject, 'a0X8d0000000778EAA', { name: 'Once Only' });
    expect(first.created).toBe(true);
    expect(retried).toMatchObject({ created: false, project: { id: first.project.id } });
  });
});

describe('a Procore rejection', () => {
  it('names the field Procore refused, so the sync it parks says which one', async () => {
    const procore = activities();
    const env = new MockActivityEnvironment({ startToCloseTimeoutMs: 60_000, heartbeatTimeoutMs: 25_000 });
    const { project }: FoundOrCreatedProject = await env.run(procore.findOrCreateProcoreProject, 'a0X8d0000000779EAA', {
      name: 'Named Yard',
    });
    await expect(env.run(procore.updateProcoreProject, project.id, { name: '' })).rejects.toMatchObject({
      type: 'TANDEM_PROCORE_REJECTED',
      nonRetryable: true,
      details: [{ field: 'name' }],
    });
  });
});
