import type { Got } from 'got';
import type { ProcoreSandbox } from '../../../sandbox/procore';
import { COMPANY_ID, apiClient, rawClient, startSandbox } from './support';

describe('Procore sandbox: bad input gets a 4xx in Procore shape and changes nothing', () => {
  let sandbox: ProcoreSandbox;
  let client: Got;
  let projectId: number;
  beforeAll(async () => {
    sandbox = await startSandbox();
    client = await apiClient(sandbox);
    const created = await client.post<{ id: number }>('rest/v1.0/projects', {
      json: { company_id: COMPANY_ID, project: { name: 'Solid Ground' } },
    });
    projectId = created.body.id;
  });
  afterAll(() => sandbox.close());

  async function projectCount(): Promise<number> {
    const list = await client.get<unknown[]>('rest/v1.0/projects', {
      searchParams: { company_id: COMPANY_ID, 'filters[by_status]': 'All' },
    });
    return list.body.length;
  }

  it('answers malformed JSON with 400', async () => {
    const response = await client.post<{ errors: string }>('rest/v1.0/projects', {
      body: '{"company_id": 4264807, "project": {"name": "Broken"',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.body.errors).toMatch(/not valid JSON/);
  });

  it('answers unknown fields with 406, naming them', async () => {
    const response = await client.post('rest/v1.0/projects', {
      json: { company_id: COMPANY_ID, project: { name: 'Extra', colour: 'blue' } },
    });
    expect(response.statusCode).toBe(406);
    expect(response.body).toEqual({ errors: { 'project.colour': ['is not a known attribute'] } });
  });

  it('answers wrong types with 400, field by field', async () => {
    const response = await client.patch<{ errors: Record<string, string[]> }>(`rest/v1.0/projects/${projectId}`, {
      json: { company_id: COMPANY_ID, project: { name: 7, active: 'yes', start_date: 20260301, total_value: 'lots' } },
    });
    expect(response.statusCode).toBe(400);
    expect(Object.keys(response.body.errors).sort()).toEqual([
      'project.active',
      'project.name',
      'project.start_date',
      'project.total_value',
    ]);
    const notAnObject = await client.post('rest/v1.0/projects', { json: [1, 2, 3] });
    expect(notAnObject.statusCode).toBe(400);
    const missingProject = await client.post<{ errors: string }>('rest/v1.0/projects', {
      json: { company_id: COMPANY_ID },
    });
    expect(missingProject.statusCode).toBe(400);
    expect(missingProject.body.errors).toBe('param is missing or the value is empty: project');
  });

  it('answers oversized bodies with 413', async () => {
    const response = await client.post('rest/v1.0/projects', {
      json: { company_id: COMPANY_ID, project: { name: 'Huge', description: 'x'.repeat(2 * 1024 * 1024) } },
    });
    expect(response.statusCode).toBe(413);
    expect(response.body).toEqual({ errors: 'Request Entity Too Large' });
  });

  it('answers an unsupported content type with 406 and an unknown route with 404', async () => {
    const xml = await client.post('rest/v1.0/projects', {
      body: '<project/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(xml.statusCode).toBe(406);
    const nowhere = await client.get('rest/v1.0/nowhere');
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.body).toEqual({ errors: '404 Not Found' });
  });

  it('is still healthy and unchanged afterwards', async () => {
    expect(await projectCount()).toBe(1);
    const shown = await client.get<{ name: string; active: boolean }>(`rest/v1.0/projects/${projectId}`, {
      searchParams: { company_id: COMPANY_ID },
    });
    expect(shown.body).toMatchObject({ name: 'Solid Ground', active: true });
    expect((await rawClient(sandbox).get('sandbox/health')).body).toEqual({ ok: true });
  });

  it('rejects bad console input the same way', async () => {
    const unknown = await rawClient(sandbox).post('sandbox/ui/projects', { json: { name: 'X', nope: 1 } });
    expect(unknown.statusCode).toBe(406);
    const wrongType = await rawClient(sandbox).patch(`sandbox/ui/projects/${projectId}`, { json: { active: 'no' } });
    expect(wrongType.statusCode).toBe(400);
    expect(await projectCount()).toBe(1);
  });
});
