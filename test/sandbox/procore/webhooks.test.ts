import type { Got } from 'got';
import type { ProcoreSandbox, ProcoreSandboxOptions } from '../../../sandbox/procore';
import {
  CLIENT_ID,
  COMPANY_ID,
  apiClient,
  rawClient,
  startReceiver,
  startSandbox,
  waitFor,
  type Receiver,
} from './support';

const SECRET = 'Bearer tandem-webhook-shared-secret-12345';

interface Hook {
  id: number;
  destination_headers: Record<string, string>;
}

async function registerHook(client: Got, url: string, eventTypes: string[]): Promise<Hook> {
  const hook = await client.post<Hook>('rest/v1.0/webhooks/hooks', {
    json: {
      company_id: COMPANY_ID,
      hook: {
        api_version: 'v2',
        namespace: 'tandem-sync',
        destination_url: url,
        destination_headers: { Authorization: SECRET },
      },
    },
  });
  expect(hook.statusCode).toBe(201);
  for (const event_type of eventTypes) {
    const trigger = await client.post(`rest/v1.0/webhooks/hooks/${hook.body.id}/triggers`, {
      json: { company_id: COMPANY_ID, api_version: 'v2', trigger: { resource_name: 'Projects', event_type } },
    });
    expect(trigger.statusCode).toBe(201);
  }
  return hook.body;
}

interface Setup {
  sandbox: ProcoreSandbox;
  client: Got;
  receiver: Receiver;
  hook: Hook;
}

async function setUp(options: ProcoreSandboxOptions = {}, eventTypes = ['create', 'update']): Promise<Setup> {
  const sandbox = await startSandbox({ webhookRetry: { initialDelayMs: 20, timeoutMs: 1000 }, ...options });
  const client = await apiClient(sandbox);
  const receiver = await startReceiver();
  const hook = await registerHook(client, receiver.url, eventTypes);
  return { sandbox, client, receiver, hook };
}

async function tearDown(setup: Setup | undefined): Promise<void> {
  await setup?.sandbox.close();
  await setup?.receiver.close();
}

async function createProject(client: Got, project: Record<string, unknown>): Promise<number> {
  const response = await client.post<{ id: number }>('rest/v1.0/projects', {
    json: { company_id: COMPANY_ID, project },
  });
  expect(response.statusCode).toBe(201);
  return response.body.id;
}

interface Delivery {
  outcome: string;
  response_status: number | null;
  response_error: string | null;
  event_id: number;
  event: { ulid: string };
}

/** The hook's deliveries once the sandbox has recorded an attempt with `outcome` (it records after the answer). */
function deliveriesUntil(client: Got, hookId: number, outcome: string): Promise<Delivery[]> {
  return waitFor(async () => {
    const response = await client.get<Delivery[]>(`rest/v1.0/webhooks/hooks/${hookId}/deliveries`, {
      searchParams: { company_id: COMPANY_ID },
    });
    return response.body.some((d) => d.outcome === outcome) && response.body;
  }, `a delivery with outcome ${outcome}`);
}

async function webhookStats(sandbox: ProcoreSandbox): Promise<Record<string, number>> {
  const stats = await rawClient(sandbox).get<{ webhooks: Record<string, number> }>('sandbox/stats');
  return stats.body.webhooks;
}

describe('Procore sandbox: webhooks to a local receiver', () => {
  let setup: Setup | undefined;
  afterEach(async () => {
    await tearDown(setup);
    setup = undefined;
  });

  it("delivers Procore's payload with the Authorization header verbatim, for API and console changes", async () => {
    setup = await setUp();
    const { client, receiver, hook, sandbox } = setup;
    expect(hook.destination_headers).toEqual({ Authorization: '****12345' });

    const projectId = await createProject(client, { name: 'Webhook Tower', origin_id: 'wh-1' });
    const [delivery] = await waitFor(() => receiver.received.length >= 1 && receiver.received, 'the create event');
    expect(delivery.headers.authorization).toBe(SECRET);
    expect(delivery.headers['content-type']).toContain('application/json');
    expect(delivery.body).toEqual({
      id: expect.any(Number),
      ulid: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      metadata: {
        source_user_id: expect.any(Number),
        source_company_id: COMPANY_ID,
        source_project_id: projectId,
        source_application_id: CLIENT_ID,
        source_operation_id: null,
      },
      user_id: expect.any(Number),
      company_id: COMPANY_ID,
      project_id: projectId,
      api_version: 'v2',
      event_type: 'create',
      resource_name: 'Projects',
      resource_id: projectId,
    });
    // Event ids exceed 2^53, as Procore's do: only the raw text holds them exactly.
    const rawId = /"id":(\d+)/.exec(delivery.raw)?.[1] as string;
    expect(BigInt(rawId)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    expect(String(delivery.body.id)).not.toBe(rawId); // what a plain JSON.parse makes of it: dedupe on ulid

    const consoleEdit = await rawClient(sandbox).patch(`sandbox/ui/projects/${projectId}`, {
      json: { name: 'Webhook Tower (console)' },
    });
    expect(consoleEdit.statusCode).toBe(200);
    const second = await waitFor(() => receiver.received[1], 'the console update event');
    expect(second.body.event_type).toBe('update');
    expect(second.body.metadata.source_application_id).toBeNull();
    expect(second.body.user_id).not.toBe(delivery.body.user_id);
    expect(second.body.ulid).not.toBe(delivery.body.ulid);
  });

  it('sends deactivation as an update event and only for subscribed event types', async () => {
    setup = await setUp({}, ['update']);
    const { client, receiver } = setup;
    const projectId = await createProject(client, { name: 'Short Lived' });
    await client.patch(`rest/v1.0/projects/${projectId}`, {
      json: { company_id: COMPANY_ID, project: { active: false } },
    });
    const event = await waitFor(() => receiver.received[0], 'the deactivation event');
    expect(event.body).toMatchObject({ event_type: 'update', resource_id: projectId });
    const after = await client.get<{ active: boolean }>(`rest/v1.0/projects/${projectId}`, {
      searchParams: { company_id: COMPANY_ID },
    });
    expect(after.body.active).toBe(false);
    const sandbox = setup.sandbox;
    await waitFor(async () => (await webhookStats(sandbox)).delivered === 1, 'the delivery to be recorded');
    // A write that changes nothing is no change: no second event.
    await client.patch(`rest/v1.0/projects/${projectId}`, {
      json: { company_id: COMPANY_ID, project: { active: false } },
    });
    expect(await webhookStats(sandbox)).toMatchObject({ delivered: 1, pending: 0 });
    expect(receiver.received).toHaveLength(1);
  });

  it('retries with back-off while the receiver fails, and lists the deliveries with their outcome', async () => {
    setup = await setUp();
    const { client, receiver, hook } = setup;
    receiver.failNext(3, 503);
    const projectId = await createProject(client, { name: 'Flaky Endpoint' });
    const delivered = await waitFor(() => receiver.received[0], 'delivery after the failures');
    expect(delivered.body.resource_id).toBe(projectId);
    expect(receiver.attempts).toBe(4);

    const deliveries = await deliveriesUntil(client, hook.id, 'ok');
    expect(deliveries.map((d) => [d.outcome, d.response_status])).toEqual([
      ['retried', 503],
      ['retried', 503],
      ['retried', 503],
      ['ok', 204],
    ]);
    expect(new Set(deliveries.map((d) => d.event.ulid)).size).toBe(1);
    const failing = await client.get<unknown[]>(`rest/v1.0/webhooks/hooks/${hook.id}/deliveries`, {
      searchParams: { company_id: COMPANY_ID, 'filter[status]': 'failing' },
    });
    expect(failing.body).toHaveLength(3);
  });

  it('treats a receiver slower than the timeout as a failure and delivers again', async () => {
    setup = await setUp({ webhookRetry: { initialDelayMs: 20, timeoutMs: 150 } });
    const { client, receiver, hook } = setup;
    receiver.delayNext(600);
    await createProject(client, { name: 'Slow Endpoint' });
    await waitFor(() => receiver.received[0], 'the delivery after the timeout');
    const deliveries = await deliveriesUntil(client, hook.id, 'ok');
    expect(deliveries.map((d) => d.outcome)).toEqual(['retried', 'ok']);
    expect(deliveries[0].response_error).toMatch(/timeout/i);
  });

  it('discards the queue after maxAttempts failures', async () => {
    setup = await setUp({ webhookRetry: { initialDelayMs: 10, maxAttempts: 2 } });
    const { client, receiver, hook } = setup;
    receiver.failNext(1000);
    await createProject(client, { name: 'Never Arrives' });
    const deliveries = await deliveriesUntil(client, hook.id, 'failed');
    expect(deliveries.map((d) => d.outcome)).toEqual(['retried', 'failed']);
    expect(await webhookStats(setup.sandbox)).toEqual({ delivered: 0, failed: 2, pending: 0 });
  });

  it('duplicates and reorders deliveries when the faults say so', async () => {
    setup = await setUp();
    const { client, receiver, sandbox } = setup;
    await rawClient(sandbox).post('sandbox/faults', { json: { duplicateWebhooks: true } });
    await createProject(client, { name: 'Seen Twice' });
    const twice = await waitFor(() => receiver.received.length >= 2 && receiver.received, 'the duplicate');
    expect(twice[0].body.ulid).toBe(twice[1].body.ulid);
    expect(twice[0].raw).toBe(twice[1].raw);

    await rawClient(sandbox).post('sandbox/faults', { json: { duplicateWebhooks: false, reorderWebhooks: true } });
    const first = await createProject(client, { name: 'Sent First' });
    const second = await createProject(client, { name: 'Sent Second' });
    const reordered = await waitFor(
      () => receiver.received.length >= 4 && receiver.received.slice(2),
      'the reordered pair',
    );
    expect(reordered.map((d) => d.body.resource_id)).toEqual([second, first]);
  });

  it('manages hooks and triggers: uppercase event types, duplicates refused, deletion stops delivery', async () => {
    setup = await setUp({}, ['CREATE']);
    const { client, receiver, hook } = setup;
    const triggers = await client.get<{ event_type: string; resource_name: string }[]>(
      `rest/v1.0/webhooks/hooks/${hook.id}/triggers`,
      {
        searchParams: { company_id: COMPANY_ID },
      },
    );
    expect(triggers.body).toEqual([
      expect.objectContaining({ resource_name: 'Projects', event_type: 'create', webhook_hook_id: hook.id }),
    ]);
    const duplicate = await client.post(`rest/v1.0/webhooks/hooks/${hook.id}/triggers`, {
      json: { company_id: COMPANY_ID, api_version: 'v2', trigger: { resource_name: 'Projects', event_type: 'create' } },
    });
    expect(duplicate.statusCode).toBe(422);

    const listed = await client.get<Hook[]>('rest/v1.0/webhooks/hooks', {
      searchParams: { company_id: COMPANY_ID, namespace: 'tandem-sync' },
    });
    expect(listed.body.map((h) => h.id)).toEqual([hook.id]);

    expect(
      (await client.delete(`rest/v1.0/webhooks/hooks/${hook.id}`, { searchParams: { company_id: COMPANY_ID } }))
        .statusCode,
    ).toBe(204);
    await createProject(client, { name: 'Nobody Listens' });
    expect((await webhookStats(setup.sandbox)).pending).toBe(0);
    expect(receiver.attempts).toBe(0);
  });
});
