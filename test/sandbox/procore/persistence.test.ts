import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { COMPANY_ID, apiClient, fetchToken, rawClient, startReceiver, startSandbox, waitFor } from './support';

describe('Procore sandbox: state survives a restart with --data', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'procore-sandbox-'));
  const dataFile = path.join(dir, 'procore.json');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps projects, hooks, triggers, deliveries, queued events and id counters', async () => {
    const receiver = await startReceiver();
    const retry = { initialDelayMs: 10_000 }; // the queued event must still be waiting when the first run closes
    const first = await startSandbox({ dataFile, webhookRetry: retry });
    let projectId: number;
    let hookId: number;
    try {
      const client = await apiClient(first);
      const hook = await client.post<{ id: number }>('rest/v1.0/webhooks/hooks', {
        json: {
          company_id: COMPANY_ID,
          hook: {
            namespace: 'tandem-sync',
            destination_url: receiver.url,
            destination_headers: { Authorization: 'Bearer x' },
          },
        },
      });
      hookId = hook.body.id;
      await client.post(`rest/v1.0/webhooks/hooks/${hookId}/triggers`, {
        json: {
          company_id: COMPANY_ID,
          api_version: 'v2',
          trigger: { resource_name: 'Projects', event_type: 'create' },
        },
      });
      receiver.failNext(1);
      const created = await client.post<{ id: number }>('rest/v1.0/projects', {
        json: { company_id: COMPANY_ID, project: { name: 'Kept', origin_id: 'keep-1' } },
      });
      projectId = created.body.id;
      await waitFor(async () => {
        const response = await client.get<unknown[]>(`rest/v1.0/webhooks/hooks/${hookId}/deliveries`, {
          searchParams: { company_id: COMPANY_ID },
        });
        return response.body.length === 1;
      }, 'the failed first attempt to be recorded');
    } finally {
      await first.close();
    }
    expect(readdirSync(dir)).toEqual(['procore.json']); // no temp file left behind
    expect(JSON.parse(readFileSync(dataFile, 'utf8')).queue).toHaveLength(1);

    const second = await startSandbox({ dataFile, webhookRetry: { initialDelayMs: 20 } });
    try {
      const client = await apiClient(second);
      const shown = await client.get<{ name: string; origin_id: string }>(`rest/v1.0/projects/${projectId}`, {
        searchParams: { company_id: COMPANY_ID },
      });
      expect(shown.body).toMatchObject({ name: 'Kept', origin_id: 'keep-1' });
      const duplicate = await client.post('rest/v1.0/projects', {
        json: { company_id: COMPANY_ID, project: { name: 'Again', origin_id: 'keep-1' } },
      });
      expect(duplicate.statusCode).toBe(422);
      const next = await client.post<{ id: number }>('rest/v1.0/projects', {
        json: { company_id: COMPANY_ID, project: { name: 'Next' } },
      });
      expect(next.body.id).toBe(projectId + 1);

      // The event queued before the restart is delivered after it.
      const delivered = await waitFor(() => receiver.received[0], 'the queued event after restart');
      expect(delivered.body.resource_id).toBe(projectId);
      const deliveries = await waitFor(async () => {
        const response = await client.get<{ outcome: string }[]>(`rest/v1.0/webhooks/hooks/${hookId}/deliveries`, {
          searchParams: { company_id: COMPANY_ID },
        });
        return response.body.length === 2 && response.body;
      }, 'the delivery to be recorded');
      expect(deliveries.map((d) => d.outcome)).toEqual(['retried', 'ok']);
    } finally {
      await second.close();
      await receiver.close();
    }
  });

  it('accepts tokens issued before a restart until they expire', async () => {
    const first = await startSandbox({ dataFile });
    const token = await fetchToken(first);
    await first.close();
    const second = await startSandbox({ dataFile });
    try {
      const response = await rawClient(second).get('rest/v1.0/projects', {
        searchParams: { company_id: COMPANY_ID },
        headers: { authorization: `Bearer ${token}`, 'procore-company-id': String(COMPANY_ID) },
      });
      expect(response.statusCode).toBe(200);
    } finally {
      await second.close();
    }
  });
});
