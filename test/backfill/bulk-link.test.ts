/**
 * The backfill's batch link against the Procore sandbox over HTTP: a batch of pairs costs one list read and one
 * batch upsert, each pair gets the outcome the per-project write would give it, and an item Procore's upsert
 * refuses (its per-item `errors`) comes back as `one-by-one` with Procore's words, never as written.
 */
import got from 'got';
import { loadConfig } from '../../common/config';
import { createProcoreBackfillActivities } from '../../activities/procore/backfill';
import { projectMapping } from '../../mappings';
import { startProcoreSandbox, type ProcoreSandbox } from '../../sandbox/procore';
import { procoreClient } from '../../workers/systems';

let sandbox: ProcoreSandbox;

beforeAll(async () => {
  sandbox = await startProcoreSandbox({ port: 0, logger: false });
});

afterAll(async () => {
  await sandbox?.close();
});

type Project = { id: number; origin_id: string | null; updated_at: string; city?: string | null };

async function createProject(fields: Record<string, unknown>): Promise<Project> {
  return got.post(`${sandbox.url}/sandbox/ui/projects`, { json: fields }).json<Project>();
}

async function calls(): Promise<Record<string, number>> {
  return (await got(`${sandbox.url}/sandbox/stats`).json<{ api: Record<string, number> }>()).api;
}

const SF = (n: number) => `a0X8d00000009${String(n).padStart(2, '0')}EAA`;

describe('linkProcoreProjects', () => {
  it('links a batch in two calls, with the outcome each pair would get alone', async () => {
    const client = procoreClient(loadConfig({ PROCORE_LOGIN_URL: sandbox.url, PROCORE_API_URL: sandbox.url }));
    const backfill = createProcoreBackfillActivities(client, () => projectMapping);
    const fresh = await createProject({ name: 'Fresh', city: 'Leeds' });
    const stale = await createProject({ name: 'Stale', city: 'York' });
    const already = await createProject({ name: 'Already', origin_id: SF(3) });
    const elsewhere = await createProject({ name: 'Elsewhere', origin_id: SF(99) });
    const taken = await createProject({ name: 'Taken' });
    await createProject({ name: 'Holder', origin_id: SF(5) });
    const readOnly = await createProject({ name: 'Read only', origin_id: SF(6) });
    const write = (p: Project, salesforceId: string, values: Record<string, unknown> = {}) => ({
      procoreId: String(p.id),
      salesforceId,
      expectedModifiedAt: Date.parse(p.updated_at),
      values,
    });
    const staleWrite = { ...write(stale, SF(2), { city: 'Hull' }), expectedModifiedAt: 0 };
    const before = await calls();

    const results = await backfill.linkProcoreProjects([
      { salesforceId: SF(1), procoreId: String(fresh.id), write: write(fresh, SF(1), { city: 'Bath' }) },
      { salesforceId: SF(2), procoreId: String(stale.id), write: staleWrite },
      { salesforceId: SF(3), procoreId: String(already.id), write: write(already, SF(3)) },
      { salesforceId: SF(4), procoreId: String(elsewhere.id), write: write(elsewhere, SF(4)) },
      { salesforceId: SF(5), procoreId: String(taken.id), write: write(taken, SF(5)) },
      { salesforceId: SF(7), procoreId: '999999999', write: { ...write(fresh, SF(7)), procoreId: '999999999' } },
      { salesforceId: SF(6), procoreId: String(readOnly.id) },
    ]);

    const after = await calls();
    const spent = Object.entries(after).flatMap(([route, n]) =>
      n > (before[route] ?? 0) && route !== 'POST /oauth/token' ? [[route, n - (before[route] ?? 0)]] : [],
    );
    expect(Object.fromEntries(spent)).toEqual({ 'GET /rest/v1.1/projects': 1, 'PATCH /rest/v1.0/projects/sync': 1 });
    expect(results.map((r) => r.outcome)).toEqual([
      'written',
      'written',
      'already',
      'linked-elsewhere',
      'one-by-one',
      'gone',
      'already',
    ]);
    // Written with the plan's values where the project was unchanged; only the link where it was not.
    expect(results[0].project).toMatchObject({ id: String(fresh.id), originId: SF(1), fields: { city: 'Bath' } });
    expect(results[1].project).toMatchObject({ originId: SF(2), fields: { city: 'York' } });
    expect(results[2].project).toMatchObject({ originId: SF(3) });
    expect(results[6].project).toMatchObject({ originId: SF(6) });
    // The refused item says why, and Procore still holds no link for it.
    expect(results[4].error).toMatch(/origin_id/);
    expect(results[4].project).toBeUndefined();
    const listed = await got(`${sandbox.url}/sandbox/ui/projects`).json<Project[]>();
    expect(listed.find((p) => p.id === taken.id)?.origin_id ?? null).toBeNull();
    // Only mapped fields go into workflow history.
    expect(results[0].project?.fields).not.toHaveProperty('origin_id');

    // A second run (whose plan finds the values alike) finds the link made: nothing more is written.
    const again = await backfill.linkProcoreProjects([
      { salesforceId: SF(1), procoreId: String(fresh.id), write: write(fresh, SF(1)) },
    ]);
    expect(again.map((r) => r.outcome)).toEqual(['already']);
  });
});
