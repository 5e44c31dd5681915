/**
 * A project deleted for good, as Procore support does on request (the API has no delete, Projects no delete
 * trigger): the console's delete, after which the API answers 404 for the project and no list shows it.
 */
import type { ProcoreSandbox } from '../../../sandbox/procore';
import { COMPANY_ID, apiClient, rawClient, startSandbox } from './support';

let sandbox: ProcoreSandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});

afterAll(() => sandbox.close());

it('answers 404 for a project deleted through the console, and lists it nowhere', async () => {
  const api = await apiClient(sandbox);
  const created = await rawClient(sandbox).post<{ id: number }>('sandbox/ui/projects', { json: { name: 'Gone Soon' } });
  const id = created.body.id;
  expect((await api.get(`rest/v1.0/projects/${id}`, { searchParams: { company_id: COMPANY_ID } })).statusCode).toBe(
    200,
  );

  expect((await rawClient(sandbox).delete(`sandbox/ui/projects/${id}`)).statusCode).toBe(204);
  expect((await api.get(`rest/v1.0/projects/${id}`, { searchParams: { company_id: COMPANY_ID } })).statusCode).toBe(
    404,
  );
  const all = await api.get<{ id: number }[]>('rest/v1.1/projects', {
    searchParams: { company_id: COMPANY_ID, 'filters[by_status]': 'all' },
  });
  expect(all.body.map((p) => p.id)).not.toContain(id);
  expect((await rawClient(sandbox).delete(`sandbox/ui/projects/${id}`)).statusCode).toBe(404);
});
