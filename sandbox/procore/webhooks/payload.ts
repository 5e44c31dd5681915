/** Webhook events: built from a project change, rendered in Procore's legacy v2 payload format. */
import type { Company } from '../company';
import { bigIntegerJson, microTimestamp, newUlid } from '../ids';
import type { ProjectChange } from '../projects/service';
import type { HookRecord, SandboxStore, WebhookEvent } from '../store';

/** Keys whose decimal-string values are written as bare JSON numbers (they exceed 2^53). */
export const BIG_ID_KEYS: ReadonlySet<string> = new Set(['id', 'event_id']);

export function buildEvent(change: ProjectChange, store: SandboxStore, company: Company): WebhookEvent {
  const { project, actor } = change;
  return {
    id: store.nextEventId(),
    ulid: newUlid(),
    timestamp: microTimestamp(),
    user_id: actor.userId,
    company_id: company.id,
    project_id: project.id,
    event_type: change.type,
    resource_name: 'Projects',
    resource_id: project.id,
    metadata: {
      source_user_id: actor.userId,
      source_company_id: company.id,
      source_project_id: project.id,
      source_application_id: actor.applicationId,
      source_operation_id: actor.operationId,
    },
  };
}

/** The object a hook receives, in the field order of Procore's documented example. */
export function payloadObject(event: WebhookEvent, hook: HookRecord): Record<string, unknown> {
  return {
    id: event.id,
    ulid: event.ulid,
    timestamp: event.timestamp,
    metadata: event.metadata,
    user_id: event.user_id,
    company_id: event.company_id,
    project_id: event.project_id,
    api_version: hook.api_version,
    event_type: event.event_type,
    resource_name: event.resource_name,
    resource_id: event.resource_id,
  };
}

export function renderPayload(event: WebhookEvent, hook: HookRecord): string {
  return bigIntegerJson(payloadObject(event, hook), BIG_ID_KEYS);
}
