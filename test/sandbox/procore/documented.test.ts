/**
 * The Procore sandbox against Procore's developer documentation, driven over plain HTTP the way the
 * official Ruby SDK calls the API (ruby-sdk-client.ts). One test per documented behaviour; where the docs are silent,
 * the sandbox's less forgiving choice.
 */
import type { ProcoreSandbox } from '../../../sandbox/procore';
import { rubySdkClient, type RubySdkClient } from './ruby-sdk-client';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  COMPANY_ID,
  fetchToken,
  rawClient,
  startReceiver,
  startSandbox,
  waitFor,
  type Receiver,
} from './support';

type Project = Record<string, unknown> & { id: number };

const OFFICE = 562949953421601;
const PROGRAM = 562949953421651;
const REGION = 562949953421701;
const BID_TYPE = 562949953421751;
const OWNER_TYPE = 562949953421801;
const PRECONSTRUCTION_DEPT = 562949953421851;
const OPERATIONS_DEPT = 562949953421852;

describe('Procore sandbox as the developer docs describe it, called like the Ruby SDK', () => {
  let sandbox: ProcoreSandbox;
  let sdk: RubySdkClient;
  beforeAll(async () => {
    sandbox = await startSandbox({ webhookRetry: { initialDelayMs: 20, timeoutMs: 1000 } });
    sdk = await rubySdkClient(sandbox);
  });
  afterAll(() => sandbox.close());

  async function create(project: Record<string, unknown>): Promise<Project> {
    const response = await sdk.post<Project>('projects', { company_id: COMPANY_ID, project });
    expect(response.status).toBe(201);
    return response.body;
  }

  const show = async (id: number) => (await sdk.get<Project>(`projects/${id}`, { company_id: COMPANY_ID })).body;

  it('1. takes full ISO date-times for dates, and stores a malformed date as null without failing', async () => {
    const project = await create({
      name: 'Date Works',
      start_date: '2026-03-01T00:00:00Z',
      completion_date: '2026-09-30T17:00:00-07:00',
    });
    expect(project).toMatchObject({ start_date: '2026-03-01', completion_date: '2026-09-30' });

    const patched = await sdk.patch<Project>(`projects/${project.id}`, {
      company_id: COMPANY_ID,
      project: {
        start_date: 'next spring',
        completion_date: '2026-10-15',
        warranty_start_date: '2026-02-30T00:00:00Z',
        city: 'Boise',
      },
    });
    expect(patched.status).toBe(200);
    // Not 400: Procore keeps going and stores null, the plain calendar date included (the docs ask for a time too).
    expect(patched.body).toMatchObject({
      start_date: null,
      completion_date: null,
      warranty_start_date: null,
      city: 'Boise',
    });
    expect(await show(project.id)).toMatchObject({
      start_date: null,
      completion_date: null,
      estimated_start_date: null,
    });
  });

  it('2. accepts the documented writable fields: deprecated mirrors, departments, ERP flag and reference ids', async () => {
    const project = await create({
      name: 'Every Field',
      estimated_value: 900000,
      estimated_start_date: '2026-04-01T00:00:00Z',
      estimated_completion_date: '2027-04-01T00:00:00Z',
      department_ids: [PRECONSTRUCTION_DEPT, OPERATIONS_DEPT],
      erp_integrated: true,
      office_id: OFFICE,
      program_id: PROGRAM,
      project_region_id: REGION,
      project_bid_type_id: BID_TYPE,
      project_owner_type_id: OWNER_TYPE,
      project_sector_id: 12,
      override_start_date: '2026-04-02T00:00:00Z',
      override_start_date_check: true,
      enable_copy_of_standard_cost_codes: false,
      currency_configuration: { currency_iso_code: 'USD' },
    });
    expect(project).toMatchObject({
      total_value: '900000.0',
      estimated_value: '900000.0',
      start_date: '2026-04-01',
      estimated_start_date: '2026-04-01',
      completion_date: '2027-04-01',
      is_erp_integrated: true,
      office: { id: OFFICE, name: 'Seattle Office' },
      program: { id: PROGRAM, name: 'Healthcare Expansion' },
      project_region_id: REGION,
      project_region: { id: REGION, name: 'Pacific Northwest' },
      project_bid_type: { id: BID_TYPE, name: 'Lump Sum' },
      project_owner_type: { id: OWNER_TYPE, name: 'Private' },
      project_sector_id: 12,
      departments: [
        { id: PRECONSTRUCTION_DEPT, name: 'Preconstruction' },
        { id: OPERATIONS_DEPT, name: 'Operations' },
      ],
    });

    // department_ids is the complete list: what is left out is removed.
    const narrowed = await sdk.patch<Project>(`projects/${project.id}`, {
      company_id: COMPANY_ID,
      project: { department_ids: [OPERATIONS_DEPT], standard_cost_code_list_id: 77 },
    });
    expect(narrowed.body).toMatchObject({
      departments: [{ id: OPERATIONS_DEPT, name: 'Operations' }],
      standard_cost_code_list_id: 77,
    });

    const unknownOffice = await sdk.post('projects', {
      company_id: COMPANY_ID,
      project: { name: 'Nowhere Office', office_id: 1 },
    });
    expect(unknownOffice.status).toBe(422);
    expect(unknownOffice.body).toEqual({ errors: { office_id: ['does not exist'] } });
    const stillUnknown = await sdk.post('projects', {
      company_id: COMPANY_ID,
      project: { name: 'Typo', colour: 'red' },
    });
    expect(stillUnknown.status).toBe(406);
  });

  it('3. deletes hooks and triggers sent with a JSON content type and no body', async () => {
    const hook = await sdk.post<{ id: number }>('webhooks/hooks', {
      company_id: COMPANY_ID,
      hook: { api_version: 'v2', namespace: 'ruby-sdk', destination_url: 'http://127.0.0.1:9/unused' },
    });
    expect(hook.status).toBe(201);
    const trigger = await sdk.post<{ id: number }>(`webhooks/hooks/${hook.body.id}/triggers`, {
      company_id: COMPANY_ID,
      api_version: 'v2',
      trigger: { resource_name: 'Projects', event_type: 'update' },
    });
    expect(trigger.status).toBe(201);

    const deletedTrigger = await sdk.delete(`webhooks/hooks/${hook.body.id}/triggers/${trigger.body.id}`, {
      company_id: COMPANY_ID,
    });
    expect(deletedTrigger.status).toBe(204);
    expect(
      (await sdk.get<unknown[]>(`webhooks/hooks/${hook.body.id}/triggers`, { company_id: COMPANY_ID })).body,
    ).toEqual([]);
    const deletedHook = await sdk.delete(`webhooks/hooks/${hook.body.id}`, { company_id: COMPANY_ID });
    expect(deletedHook.status).toBe(204);
    expect((await sdk.get(`webhooks/hooks/${hook.body.id}`, { company_id: COMPANY_ID })).status).toBe(404);
    // A body that is there must still be JSON.
    const broken = await rawClient(sandbox).delete(`rest/v1.0/webhooks/hooks/${hook.body.id}`, {
      headers: {
        authorization: `Bearer ${await fetchToken(sandbox)}`,
        'procore-company-id': String(COMPANY_ID),
        'content-type': 'application/json',
      },
      body: '{"oops"',
    });
    expect(broken.statusCode).toBe(400);
  });

  it('4. issues tokens that last 5400 seconds', async () => {
    const token = await rawClient(sandbox).post<{ access_token: string; expires_in: number }>('oauth/token', {
      json: {
        grant_type: 'client_credentials',
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      },
    });
    expect(token.body.expires_in).toBe(5400);
    const info = await rawClient(sandbox).get<{ expires_in_seconds: number }>('oauth/token/info', {
      headers: { authorization: `Bearer ${token.body.access_token}` },
    });
    expect(info.body.expires_in_seconds).toBeGreaterThan(5390);
    expect(info.body.expires_in_seconds).toBeLessThanOrEqual(5400);
  });

  it('5. answers 422 to a time_zone that is not one of the supported identifiers', async () => {
    const wrong = await sdk.post('projects', {
      company_id: COMPANY_ID,
      project: { name: 'Wrong Zone', time_zone: 'US Pacific Time' },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toEqual({ errors: { time_zone: ['is not included in the list'] } });
    const project = await create({ name: 'Right Zone', time_zone: 'US/Pacific' });
    expect(project.time_zone).toBe('US/Pacific');
    const patched = await sdk.patch(`projects/${project.id}`, {
      company_id: COMPANY_ID,
      project: { time_zone: 'Mars/Olympus' },
    });
    expect(patched.status).toBe(422);
    expect((await show(project.id)).time_zone).toBe('US/Pacific');
    expect((await create({ name: 'Rails Zone', time_zone: 'Pacific Time (US & Canada)' })).time_zone).toBe(
      'Pacific Time (US & Canada)',
    );
  });

  it('6. lists projects on v1.1: at most 300 a page, active only by default, in four views', async () => {
    const kept = await create({ name: 'V11 Listed', project_number: 'V11-1', description: 'extended only' });
    const inactive = await create({ name: 'V11 Inactive', project_number: 'V11-2' });
    await sdk.patch(`projects/${inactive.id}`, { company_id: COMPANY_ID, project: { active: false } });

    const capped = await sdk.get<Project[]>('rest/v1.1/projects', { company_id: COMPANY_ID, per_page: 1000 });
    expect(capped.status).toBe(200);
    expect(capped.headers['per-page']).toBe('300');
    expect(capped.body.map((p) => p.id)).toContain(kept.id);
    expect(capped.body.map((p) => p.id)).not.toContain(inactive.id);
    const byDefault = await sdk.get<Project[]>('rest/v1.1/projects', { company_id: COMPANY_ID });
    expect(byDefault.headers['per-page']).toBe('100');

    // More than 300 projects (a company of its own, so the other tests' lists stay short): a page still holds 300.
    const bulk = await startSandbox();
    try {
      const bulkSdk = await rubySdkClient(bulk);
      const updates = Array.from({ length: 305 }, (_, i) => ({ name: `Bulk ${i + 1}`, origin_id: `bulk-${i + 1}` }));
      const synced = await bulkSdk.patch<{ entities: unknown[] }>('projects/sync', { company_id: COMPANY_ID, updates });
      expect(synced.body.entities).toHaveLength(305);
      const first = await bulkSdk.get<Project[]>('rest/v1.1/projects', { company_id: COMPANY_ID, per_page: 1000 });
      expect(first.body).toHaveLength(300);
      expect(first.headers.total).toBe('305');
      expect(first.headers.link).toContain('rel="next"');
      const second = await bulkSdk.get<Project[]>('rest/v1.1/projects', {
        company_id: COMPANY_ID,
        per_page: 1000,
        page: 2,
      });
      expect(second.body.map((p) => p.name)).toEqual(['Bulk 301', 'Bulk 302', 'Bulk 303', 'Bulk 304', 'Bulk 305']);
    } finally {
      await bulk.close();
    }

    const ids = await sdk.get<unknown[]>('rest/v1.1/projects', {
      company_id: COMPANY_ID,
      view: 'ids',
      per_page: 1,
      'filters[by_status]': 'All',
    });
    expect(ids.body.length).toBeGreaterThan(1);
    expect(ids.body.every((id) => typeof id === 'number')).toBe(true);
    expect(ids.body).toEqual(expect.arrayContaining([kept.id, inactive.id]));

    const only = { company_id: COMPANY_ID, 'filters[project_number]': 'V11-1' };
    expect((await sdk.get<Project[]>('rest/v1.1/projects', { ...only, view: 'compact' })).body).toEqual([
      { id: kept.id, name: 'V11 Listed' },
    ]);
    const [normal] = (await sdk.get<Project[]>('rest/v1.1/projects', only)).body;
    expect(normal).toMatchObject({ id: kept.id, stage: 'Course of Construction' });
    expect(normal).not.toHaveProperty('description');
    const [extended] = (await sdk.get<Project[]>('rest/v1.1/projects', { ...only, view: 'extended' })).body;
    expect(extended).toMatchObject({ id: kept.id, description: 'extended only' });
    expect((await sdk.get('rest/v1.1/projects', { ...only, view: 'everything' })).status).toBe(400);
  });

  it('8. refuses a trigger without api_version, and 9. a delete trigger on Projects', async () => {
    const hook = await sdk.post<{ id: number }>('webhooks/hooks', {
      company_id: COMPANY_ID,
      hook: { api_version: 'v2', namespace: 'strict-triggers', destination_url: 'http://127.0.0.1:9/unused' },
    });
    const missing = await sdk.post<{ errors: string }>(`webhooks/hooks/${hook.body.id}/triggers`, {
      company_id: COMPANY_ID,
      trigger: { resource_name: 'Projects', event_type: 'update' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toBe('param is missing or the value is empty: api_version');

    const deleteTrigger = await sdk.post(`webhooks/hooks/${hook.body.id}/triggers`, {
      company_id: COMPANY_ID,
      api_version: 'v2',
      trigger: { resource_name: 'Projects', event_type: 'DELETE' },
    });
    expect(deleteTrigger.status).toBe(422);
    expect(deleteTrigger.body).toEqual({ errors: { event_type: ['delete is not available for Projects'] } });
    expect(
      (await sdk.get<unknown[]>(`webhooks/hooks/${hook.body.id}/triggers`, { company_id: COMPANY_ID })).body,
    ).toEqual([]);

    const resources = await sdk.get<Record<string, unknown>[]>('webhooks/resources', { company_id: COMPANY_ID });
    expect(resources.body).toEqual([
      expect.objectContaining({
        resource_name: 'Projects',
        create: true,
        update: true,
        delete: false,
        except: ['delete'],
      }),
    ]);
  });

  it('10. creates project types and stages, which projects can then use', async () => {
    const type = await sdk.post<{ id: number; name: string }>(`companies/${COMPANY_ID}/project_types`, {
      project_type: { name: 'Data Center' },
    });
    expect(type.status).toBe(201);
    expect(type.body).toEqual({ id: expect.any(Number), name: 'Data Center' });
    const stage = await sdk.post<{ id: number }>(`companies/${COMPANY_ID}/project_stages`, {
      project_stage: { name: 'Closeout', category: 'post_construction', is_bidding_stage: false },
    });
    expect(stage.status).toBe(201);
    expect(stage.body).toMatchObject({
      name: 'Closeout',
      category: 'post_construction',
      is_bidding_stage: false,
      readonly: false,
    });

    const types = await sdk.get<{ id: number }[]>(`companies/${COMPANY_ID}/project_types`);
    expect(types.body.map((t) => t.id)).toContain(type.body.id);
    expect((await sdk.get(`companies/${COMPANY_ID}/project_stages/${stage.body.id}`)).body).toMatchObject({
      name: 'Closeout',
    });
    const project = await create({
      name: 'Server Hall',
      project_type_id: type.body.id,
      project_stage_id: stage.body.id,
    });
    expect(project).toMatchObject({
      project_type: { id: type.body.id, name: 'Data Center' },
      project_stage: { id: stage.body.id, name: 'Closeout' },
    });

    const twice = await sdk.post(`companies/${COMPANY_ID}/project_types`, { project_type: { name: 'data center' } });
    expect(twice.status).toBe(422);
    const badCategory = await sdk.post(`companies/${COMPANY_ID}/project_stages`, {
      project_stage: { name: 'Odd', category: 'someday' },
    });
    expect(badCategory.status).toBe(400);
  });

  it("11. reads the docs' own quoted date-range filter", async () => {
    const project = await create({ name: 'Quoted Range', origin_id: 'quoted-range' });
    const from = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const to = new Date(Date.now() + 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const filter of ['filters[updated_at]', 'filters[created_at]']) {
      for (const quote of ['"', '\\"']) {
        const listed = await sdk.get<Project[]>('projects', {
          company_id: COMPANY_ID,
          [filter]: `${quote}${from}...${to}${quote}`,
        });
        expect(listed.status).toBe(200);
        expect(listed.body.map((p) => p.id)).toContain(project.id);
      }
    }
    const past = await sdk.get<Project[]>('projects', {
      company_id: COMPANY_ID,
      'filters[updated_at]': '"2001-01-01...2001-12-31"',
    });
    expect(past.body).toEqual([]);
    expect((await sdk.get('projects', { company_id: COMPANY_ID, 'filters[updated_at]': '"yesterday"' })).status).toBe(
      400,
    );
  });

  it('silent docs, less forgiving choice: a second project with the same origin_id is refused', async () => {
    await create({ name: 'First Origin', origin_id: 'one-origin' });
    const second = await sdk.post('projects', {
      company_id: COMPANY_ID,
      project: { name: 'Second Origin', origin_id: 'one-origin' },
    });
    expect(second.status).toBe(422);
    expect(second.body).toEqual({ errors: { origin_id: ['has already been taken'] } });
  });
});

describe('Procore sandbox webhooks as the docs describe them', () => {
  let sandbox: ProcoreSandbox | undefined;
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await sandbox?.close();
    await receiver?.close();
    sandbox = undefined;
    receiver = undefined;
  });

  async function setUp(
    apiVersion: string,
    maxAttempts?: number,
  ): Promise<{ sdk: RubySdkClient; hookId: number; receiver: Receiver }> {
    sandbox = await startSandbox({ webhookRetry: { initialDelayMs: 10, timeoutMs: 1000, maxAttempts } });
    receiver = await startReceiver();
    const sdk = await rubySdkClient(sandbox);
    const hook = await sdk.post<{ id: number }>('webhooks/hooks', {
      company_id: COMPANY_ID,
      hook: { api_version: apiVersion, namespace: 'formats', destination_url: receiver.url },
    });
    expect(hook.status).toBe(201);
    for (const event_type of ['create', 'update']) {
      const trigger = await sdk.post(`webhooks/hooks/${hook.body.id}/triggers`, {
        company_id: COMPANY_ID,
        api_version: apiVersion,
        trigger: { resource_name: 'Projects', event_type },
      });
      expect(trigger.status).toBe(201);
    }
    return { sdk, hookId: hook.body.id, receiver };
  }

  const createProject = async (sdk: RubySdkClient, name: string) =>
    (await sdk.post<Project>('projects', { company_id: COMPANY_ID, project: { name } })).body.id;

  it('7. sends payload format v3.0 with related_resources', async () => {
    const { sdk, receiver: endpoint } = await setUp('v3.0');
    const projectId = await createProject(sdk, 'Format Three');
    const event = await waitFor(() => endpoint.received[0], 'the v3.0 event');
    expect(event.body).toMatchObject({
      api_version: 'v3.0',
      event_type: 'create',
      resource_name: 'Projects',
      resource_id: projectId,
      related_resources: [],
    });
    expect(event.body.ulid).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('7. sends payload format v4.0: string ids, reason, resource_type, no metadata', async () => {
    const { sdk, receiver: endpoint } = await setUp('v4.0');
    const projectId = await createProject(sdk, 'Format Four');
    await sdk.patch(`projects/${projectId}`, { company_id: COMPANY_ID, project: { active: false } });
    const [created, deactivated] = await waitFor(
      () => endpoint.received.length >= 2 && endpoint.received,
      'both v4.0 events',
    );
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      reason: 'create',
      company_id: String(COMPANY_ID),
      project_id: String(projectId),
      user_id: expect.stringMatching(/^\d+$/),
      resource_type: 'Projects',
      resource_id: String(projectId),
    });
    // Strings keep 64-bit ids exact through a plain JSON.parse.
    expect(BigInt(created.body.resource_id)).toBe(BigInt(projectId));
    // 9. A deactivation is an update; the project itself says it is inactive.
    expect(deactivated.body).toMatchObject({ reason: 'update', resource_id: String(projectId) });
  });

  it('silent docs, less forgiving choice: a hook is disabled when its queue is discarded, until it is updated', async () => {
    const { sdk, hookId, receiver: endpoint } = await setUp('v2', 1);
    endpoint.failNext(1);
    await createProject(sdk, 'Lost Event');
    const deliveries = () =>
      sdk.get<{ outcome: string; response_error: string | null }[]>(`webhooks/hooks/${hookId}/deliveries`, {
        company_id: COMPANY_ID,
      });
    await waitFor(async () => (await deliveries()).body.some((d) => d.outcome === 'failed'), 'the failed delivery');

    await createProject(sdk, 'Never Sent');
    const skipped = await waitFor(
      async () => (await deliveries()).body.find((d) => d.outcome === 'discarded'),
      'the discarded event',
    );
    expect(skipped.response_error).toBe('hook disabled after repeated failures');
    expect(endpoint.attempts).toBe(1);

    const updated = await sdk.patch(`webhooks/hooks/${hookId}`, {
      company_id: COMPANY_ID,
      hook: { destination_url: endpoint.url },
    });
    expect(updated.status).toBe(200);
    const projectId = await createProject(sdk, 'Delivered Again');
    const event = await waitFor(() => endpoint.received[0], 'delivery after the update');
    expect(event.body.resource_id).toBe(projectId);
  });
});
