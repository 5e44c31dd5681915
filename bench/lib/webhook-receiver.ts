/**
 * A small HTTP receiver for Procore webhooks, registered with the pair's Procore as one more hook (in its own
 * namespace, next to the sync's). It answers at once and hands each event on: Procore delivers a hook's events one
 * at a time, so a slow receiver would delay the next event.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProcoreClient } from '../../activities/procore/client';

export interface ProcoreWebhookEvent {
  ulid: string;
  /** Procore's own time of the change, with microseconds. */
  timestamp: string;
  event_type: string;
  resource_name: string;
  resource_id: number;
  metadata?: { source_application_id?: string | null };
}

export interface WebhookReceiver {
  url: string;
  close(): Promise<void>;
}

export async function receiveProcoreWebhooks(onEvent: (event: ProcoreWebhookEvent) => void): Promise<WebhookReceiver> {
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":true}');
      try {
        onEvent(JSON.parse(body) as ProcoreWebhookEvent);
      } catch {
        // Not a webhook body: nothing to observe.
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/procore`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Hook {
  id: number;
}

/** Registers `url` for project update events in `namespace` (one hook per namespace and URL). */
export async function registerHook(client: ProcoreClient, namespace: string, url: string): Promise<void> {
  const company_id = client.settings.companyId;
  const hook = await client.request<Hook>('POST', '/rest/v1.0/webhooks/hooks', {
    json: {
      company_id,
      hook: {
        api_version: 'v2',
        namespace,
        destination_url: url,
        destination_headers: { Authorization: 'Bearer bench-observer' },
      },
    },
  });
  await client.request('POST', `/rest/v1.0/webhooks/hooks/${hook.id}/triggers`, {
    json: { company_id, api_version: 'v2', trigger: { resource_name: 'Projects', event_type: 'update' } },
  });
}

export const isProjectUpdate = (event: ProcoreWebhookEvent) =>
  event.resource_name === 'Projects' && event.event_type.toLowerCase() === 'update';
