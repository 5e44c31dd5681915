/**
 * Makes sure Procore delivers project events to the ingress: one hook in Tandem's namespace pointing at the
 * ingress, with the shared secret as its Authorization header, and create and update triggers on Projects.
 * Projects offer no delete trigger (Procore has no project delete and refuses the trigger): a project taken out of
 * use is deactivated, which arrives as an update whose re-read shows `active: false`.
 * Safe to run at every start: it reuses what exists, and its PATCH turns delivery back on for a hook Procore
 * disabled after repeated failures.
 */
import type { ProcoreClient } from '../../activities/procore/client';

export const WEBHOOK_NAMESPACE = 'tandem';
export const EVENT_TYPES = ['create', 'update'] as const;

interface Hook {
  id: number;
  destination_url: string;
}

interface Trigger {
  id: number;
  resource_name: string;
  event_type: string;
}

export async function registerProcoreWebhook(
  client: ProcoreClient,
  destinationUrl: string,
  authorization: string,
): Promise<{ hookId: number; created: boolean }> {
  const companyId = client.settings.companyId;
  const hooks = await client.request<Hook[]>('GET', '/rest/v1.0/webhooks/hooks', {
    searchParams: { company_id: companyId, namespace: WEBHOOK_NAMESPACE },
  });
  let hook = hooks.find((h) => h.destination_url === destinationUrl);
  const created = !hook;
  const body = {
    company_id: companyId,
    hook: {
      api_version: 'v2',
      namespace: WEBHOOK_NAMESPACE,
      destination_url: destinationUrl,
      destination_headers: { Authorization: authorization },
    },
  };
  // PATCH an existing hook too: the secret may have been rotated.
  hook = hook
    ? await client.request<Hook>('PATCH', `/rest/v1.0/webhooks/hooks/${hook.id}`, { json: body })
    : await client.request<Hook>('POST', '/rest/v1.0/webhooks/hooks', { json: body });
  const triggers = await client.request<Trigger[]>('GET', `/rest/v1.0/webhooks/hooks/${hook.id}/triggers`, {
    searchParams: { company_id: companyId },
  });
  for (const eventType of EVENT_TYPES) {
    if (triggers.some((t) => t.resource_name === 'Projects' && t.event_type.toLowerCase() === eventType)) continue;
    await client
      .request('POST', `/rest/v1.0/webhooks/hooks/${hook.id}/triggers`, {
        json: {
          company_id: companyId,
          api_version: 'v2',
          trigger: { resource_name: 'Projects', event_type: eventType },
        },
      })
      .catch((err: unknown) => {
        // Another ingress starting at the same time added it first: what we wanted.
        if (!(err instanceof Error && /already been taken/.test(err.message))) throw err;
      });
  }
  return { hookId: hook.id, created };
}
