/**
 * Turns project changes into webhook events: one event per change, queued once for every hook whose scope covers
 * the project and which has a Projects trigger for that event type.
 */
import type { Company } from '../company';
import type { ProjectChange } from '../projects/service';
import type { HookRecord, SandboxStore } from '../store';
import type { WebhookDeliverer } from './deliverer';
import { buildEvent } from './payload';

function hooksFor(change: ProjectChange, store: SandboxStore): HookRecord[] {
  const { project } = change;
  const triggered = new Set(
    store.state.triggers
      .filter((t) => t.resource_name === 'Projects' && t.event_type === change.type)
      .map((t) => t.webhook_hook_id),
  );
  return store.state.hooks.filter(
    (hook) =>
      triggered.has(hook.id) &&
      hook.company_id === project.company_id &&
      (hook.project_id === null || hook.project_id === project.id),
  );
}

export function webhookEventSource(
  store: SandboxStore,
  company: Company,
  deliverer: WebhookDeliverer,
): (change: ProjectChange) => void {
  return (change) => {
    const hooks = hooksFor(change, store);
    if (hooks.length === 0) return;
    const event = buildEvent(change, store, company);
    for (const hook of hooks) deliverer.enqueue(hook, event);
  };
}
