import type { Got } from 'got';
import type { ProcoreSandbox } from '../../../sandbox/procore';
import { COMMERCIAL, COMPANY_ID, HEALTHCARE, PRE_CONSTRUCTION, apiClient, startSandbox } from './support';

type Project = Record<string, unknown> & { id: number; name: string; updated_at: string };

describe('Procore sandbox: Projects v1.0 through got', () => {
  let sandbox: ProcoreSandbox;
  let client: Got;
  beforeAll(async () => {
    sandbox = await startSandbox();
    client = await apiClient(sandbox);
  });
  afterAll(() => sandbox.close());

  async function create(project: Record<string, unknown>): Promise<Project> {
    const response = await client.post<Project>('rest/v1.0/projects', { json: { company_id: COMPANY_ID, project } });
    expect(response.statusCode).toBe(201);
    return response.body;
  }

  it('creates a project and answers with the show shape (read form of type, string total_value)', async () => {
    const project = await create({
      name: 'Harbor Clinic',
      project_number: 'HC-001',
      origin_id: 'a01Hb00000Clinic',
      project_type_id: HEALTHCARE,
      total_value: 1250000,
      start_date: '2026-03-01T00:00:00Z',
      city: 'Oakland',
    });
    expect(project.id).toBeGreaterThanOrEqual(562949953500000);
    expect(project).toMatchObject({
      name: 'Harbor Clinic',
      display_name: 'HC-001 - Harbor Clinic',
      origin_id: 'a01Hb00000Clinic',
      project_type: { id: HEALTHCARE, name: 'Healthcare' },
      project_stage: { id: 562949953421502, name: 'Course of Construction' },
      total_value: '1250000.0',
      start_date: '2026-03-01',
      active: true,
      company: { id: COMPANY_ID, name: expect.any(String) },
      created_by: { id: expect.any(Number), name: expect.any(String), login: expect.any(String) },
    });
    expect(project).not.toHaveProperty('project_type_id');
    expect(project.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const shown = await client.get<Project>(`rest/v1.0/projects/${project.id}`, {
      searchParams: { company_id: COMPANY_ID },
    });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toEqual(project);
  });

  it('updates with PATCH, and 404s for unknown projects', async () => {
    const project = await create({ name: 'Depot Refit' });
    const updated = await client.patch<Project>(`rest/v1.0/projects/${project.id}`, {
      json: {
        company_id: COMPANY_ID,
        project: {
          name: 'Depot Refit II',
          project_type_id: COMMERCIAL,
          project_stage_id: PRE_CONSTRUCTION,
          county: 'Alameda',
        },
      },
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.body).toMatchObject({
      name: 'Depot Refit II',
      county: 'Alameda',
      project_type: { id: COMMERCIAL, name: 'Commercial' },
      project_stage: { id: PRE_CONSTRUCTION, name: 'Pre-Construction' },
    });
    const missing = await client.get(`rest/v1.0/projects/1`, { searchParams: { company_id: COMPANY_ID } });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toEqual({ errors: '404 Not Found' });
  });

  it('rejects a duplicate origin_id with 422, and a missing name', async () => {
    await create({ name: 'Unique One', origin_id: 'dup-origin' });
    const duplicate = await client.post('rest/v1.0/projects', {
      json: { company_id: COMPANY_ID, project: { name: 'Unique Two', origin_id: 'dup-origin' } },
    });
    expect(duplicate.statusCode).toBe(422);
    expect(duplicate.body).toEqual({ errors: { origin_id: ['has already been taken'] } });

    const nameless = await client.post('rest/v1.0/projects', {
      json: { company_id: COMPANY_ID, project: { city: 'Nowhere' } },
    });
    expect(nameless.statusCode).toBe(422);
    expect(nameless.body).toEqual({ errors: { name: ["can't be blank"] } });
  });

  it('pages with Link, Total and Per-Page headers', async () => {
    const fresh = await startSandbox();
    try {
      const c = await apiClient(fresh);
      for (let i = 1; i <= 5; i++) {
        await c.post('rest/v1.0/projects', { json: { company_id: COMPANY_ID, project: { name: `Paged ${i}` } } });
      }
      const first = await c.get<Project[]>('rest/v1.0/projects', {
        searchParams: { company_id: COMPANY_ID, per_page: 2 },
      });
      expect(first.headers.total).toBe('5');
      expect(first.headers['per-page']).toBe('2');
      expect(first.body.map((p) => p.name)).toEqual(['Paged 1', 'Paged 2']);
      const link = first.headers.link as string;
      expect(link).toMatch(/page=2[^>]*>; rel="next"/);
      expect(link).toMatch(/page=3[^>]*>; rel="last"/);
      expect(link).not.toContain('rel="prev"');

      const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] as string;
      const second = await c.get<Project[]>(next, { prefixUrl: '' });
      expect(second.body.map((p) => p.name)).toEqual(['Paged 3', 'Paged 4']);
      expect(second.headers.link).toContain('rel="first"');
      expect(second.headers.link).toContain('rel="prev"');

      const last = await c.get<Project[]>('rest/v1.0/projects', {
        searchParams: { company_id: COMPANY_ID, per_page: 2, page: 3 },
      });
      expect(last.body.map((p) => p.name)).toEqual(['Paged 5']);
      expect(last.headers.link).not.toContain('rel="next"');
    } finally {
      await fresh.close();
    }
  });

  it('lists the narrow v1.0 list item, not the full record', async () => {
    const project = await create({ name: 'List Shape', description: 'not in the list', project_type_id: COMMERCIAL });
    const list = await client.get<Project[]>('rest/v1.0/projects', {
      searchParams: { company_id: COMPANY_ID, 'filters[id][]': project.id },
    });
    expect(list.body).toHaveLength(1);
    const [item] = list.body;
    expect(item).toMatchObject({
      id: project.id,
      stage: 'Course of Construction',
      project_stage: { id: 562949953421502, name: 'Course of Construction' },
    });
    for (const absent of ['description', 'project_type', 'project_type_id', 'square_feet', 'flag', 'code'])
      expect(item).not.toHaveProperty(absent);
  });

  it('filters by origin_id, updated_at range and status (active only by default)', async () => {
    const before = new Date(Date.now() - 2000).toISOString();
    const kept = await create({ name: 'Filter Me', origin_id: 'filter-origin-1' });
    const gone = await create({ name: 'Deactivate Me', origin_id: 'filter-origin-2' });
    const deactivated = await client.patch<Project>(`rest/v1.0/projects/${gone.id}`, {
      json: { company_id: COMPANY_ID, project: { active: false } },
    });
    expect(deactivated.body.active).toBe(false);

    const byOrigin = await client.get<Project[]>('rest/v1.0/projects', {
      searchParams: { company_id: COMPANY_ID, 'filters[origin_id]': 'filter-origin-1' },
    });
    expect(byOrigin.body.map((p) => p.id)).toEqual([kept.id]);

    const inactiveHidden = await client.get<Project[]>('rest/v1.0/projects', {
      searchParams: { company_id: COMPANY_ID, 'filters[origin_id]': 'filter-origin-2' },
    });
    expect(inactiveHidden.body).toEqual([]);
    const all = await client.get<Project[]>('rest/v1.0/projects', {
      searchParams: { company_id: COMPANY_ID, 'filters[origin_id]': 'filter-origin-2', 'filters[by_status]': 'All' },
    });
    expect(all.body.map((p) => p.id)).toEqual([gone.id]);
    const inactive = await client.get<Project[]>('rest/v1.0/projects', {
      searchParams: { company_id: COMPANY_ID, 'filters[by_status]': 'Inactive' },
    });
    expect(inactive.body.map((p) => p.id)).toEqual([gone.id]);

    const after = new Date(Date.now() + 2000).toISOString();
    const recent = await client.get<Project[]>('rest/v1.0/projects', {
      searchParams: {
        company_id: COMPANY_ID,
        'filters[updated_at]': `${before}...${after}`,
        'filters[by_status]': 'All',
      },
    });
    expect(recent.body.map((p) => p.id)).toEqual(expect.arrayContaining([kept.id, gone.id]));
    const past = await client.get<Project[]>('rest/v1.0/projects', {
      searchParams: { company_id: COMPANY_ID, 'filters[updated_at]': '2001-01-01...2001-12-31' },
    });
    expect(past.body).toEqual([]);
    const malformed = await client.get('rest/v1.0/projects', {
      searchParams: { company_id: COMPANY_ID, 'filters[updated_at]': 'yesterday' },
    });
    expect(malformed.statusCode).toBe(400);
  });

  it('upserts by origin_id with PATCH /projects/sync, reporting per-item errors with 200', async () => {
    const existing = await create({ name: 'Sync Existing', origin_id: 'sync-1' });
    const response = await client.patch<{ entities: Project[]; errors: Record<string, unknown>[] }>(
      'rest/v1.0/projects/sync',
      {
        json: {
          company_id: COMPANY_ID,
          updates: [
            { origin_id: 'sync-1', name: 'Sync Existing (renamed)' },
            { origin_id: 'sync-2', name: 'Sync Created', project_type_id: COMMERCIAL },
            { id: 1, name: 'No such project' },
            { name: 42 },
          ],
        },
      },
    );
    expect(response.statusCode).toBe(200);
    const { entities, errors } = response.body;
    expect(entities.map((e) => e.name)).toEqual(['Sync Existing (renamed)', 'Sync Created']);
    expect(entities[0].id).toBe(existing.id);
    expect(entities[1]).toMatchObject({ origin_id: 'sync-2', project_type: { id: COMMERCIAL, name: 'Commercial' } });
    expect(errors).toEqual([
      { id: 1, name: 'No such project', errors: { id: ['Entity with this ID not found'] } },
      { name: 42, errors: { name: [expect.any(String)] } },
    ]);

    // With both id and origin_id, the id finds the record: the one way to change an origin_id.
    const relinked = await client.patch<{ entities: Project[] }>('rest/v1.0/projects/sync', {
      json: { company_id: COMPANY_ID, updates: [{ id: existing.id, origin_id: 'sync-1b' }] },
    });
    expect(relinked.body.entities[0]).toMatchObject({ id: existing.id, origin_id: 'sync-1b' });
  });

  it('serves the seeded project types and stages', async () => {
    const types = await client.get<{ id: number; name: string }[]>(`rest/v1.0/companies/${COMPANY_ID}/project_types`);
    expect(types.statusCode).toBe(200);
    expect(types.body).toHaveLength(9);
    expect(types.body[0]).toEqual({ id: COMMERCIAL, name: 'Commercial' });
    expect(types.headers.total).toBe('9');

    const stages = await client.get<{ id: number; name: string; category: string }[]>(
      `rest/v1.0/companies/${COMPANY_ID}/project_stages`,
    );
    expect(stages.body.map((s) => [s.name, s.category])).toEqual([
      ['Pre-Construction', 'pre_construction'],
      ['Course of Construction', 'course_of_construction'],
      ['Post-Construction', 'post_construction'],
      ['Completed', 'completed'],
      ['Not Awarded', 'not_awarded'],
      ['Canceled', 'canceled'],
    ]);
    const unknownType = await client.post('rest/v1.0/projects', {
      json: { company_id: COMPANY_ID, project: { name: 'Typo', project_type_id: 7 } },
    });
    expect(unknownType.statusCode).toBe(422);
  });
});
