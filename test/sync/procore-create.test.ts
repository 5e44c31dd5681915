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
import { projectMapping } from '../../mappings';

/** The first key of each Procore path the shipped mapping reads. */
const MAPPED_PROCORE_KEYS = projectMapping.fields.map(
  (f) => (typeof f.procore === 'string' ? f.procore : f.procore.read).split('.')[0],
);

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

  it('a first attempt creates with one call; a taken origin_id is refused and the project found; a retry looks first', async () => {
    const create = activities();
    await create.readProcoreProject('1').catch(() => undefined); // a token first, outside the counts
    const calls = async () => (await got(`${sandbox.url}/sandbox/stats`).json<{ api: Record<string, number> }>()).api;
    const delta = (before: Record<string, number>, after: Record<string, number>) =>
      Object.fromEntries(
        Object.entries(after).flatMap(([k, n]) => (n > (before[k] ?? 0) ? [[k, n - (before[k] ?? 0)]] : [])),
      );
    const firstTry = new MockActivityEnvironment({
      attempt: 1,
      startToCloseTimeoutMs: 60_000,
      heartbeatTimeoutMs: 25_000,
    });
    const retry = new MockActivityEnvironment({
      attempt: 2,
      startToCloseTimeoutMs: 60_000,
      heartbeatTimeoutMs: 25_000,
    });

    let before = await calls();
    const created: FoundOrCreatedProject = await firstTry.run(create.findOrCreateProcoreProject, 'a0X8d0000000781EAA', {
      name: 'One Call',
    });
    expect(created.created).toBe(true);
    expect(delta(before, await calls())).toEqual({ 'POST /rest/v1.0/projects': 1 });

    before = await calls();
    const again = await firstTry.run(create.findOrCreateProcoreProject, 'a0X8d0000000781EAA', { name: 'One Call' });
    expect(again).toMatchObject({ created: false, project: { id: created.project.id } });
    expect(delta(before, await calls())).toEqual({
      'POST /rest/v1.0/projects': 1,
      'GET /rest/v1.0/projects': 1,
      'GET /rest/v1.0/projects/:id': 1,
    });

    before = await calls();
    const retried = await retry.run(create.findOrCreateProcoreProject, 'a0X8d0000000781EAA', { name: 'One Call' });
    expect(retried).toMatchObject({ created: false, project: { id: created.project.id } });
    expect(delta(before, await calls())).toEqual({ 'GET /rest/v1.0/projects': 1, 'GET /rest/v1.0/projects/:id': 1 });
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

describe('what a workflow gets of a Procore project', () => {
  it('holds only the fields the mapping reads, so history keeps no unmapped project data', async () => {
    const procore = activities();
    const env = new MockActivityEnvironment({ startToCloseTimeoutMs: 60_000, heartbeatTimeoutMs: 25_000 });
    const { project }: FoundOrCreatedProject = await env.run(procore.findOrCreateProcoreProject, 'a0X8d0000000790EAA', {
      name: 'Mapped Only',
      city: 'Leeds',
    });
    const read = await procore.readProcoreProject(project.id);
    // The sandbox answers with the whole project (origin_id, company, timestamps, ...); none of that is mapped.
    const client = procoreClient(loadConfig({ PROCORE_LOGIN_URL: sandbox.url, PROCORE_API_URL: sandbox.url }));
    const shown = await client.request<Record<string, unknown>>('GET', `/rest/v1.0/projects/${project.id}`, {
      searchParams: { company_id: client.settings.companyId },
    });
    expect(Object.keys(shown)).toEqual(expect.arrayContaining(['origin_id', 'created_at', 'updated_at']));
    for (const key of Object.keys(read.fields)) expect(MAPPED_PROCORE_KEYS).toContain(key);
    expect(read.fields).toMatchObject({ name: 'Mapped Only', city: 'Leeds' });
    expect(read.fields).not.toHaveProperty('origin_id');
    expect(read.fields).not.toHaveProperty('created_at');
    expect(read).toMatchObject({ id: project.id, originId: 'a0X8d0000000790EAA' });
  });
});
