/**
 * Webhook events: built from a project change, rendered in the payload format the hook chose with its
 * `api_version` (developers.procore.com/documentation/webhooks, "Payload Formats"):
 * - `v2` / `v2.0`, the legacy format: numeric ids, `event_type`, `resource_name`, `metadata`;
 * - `v3.0`: the same plus `related_resources` (empty for Projects: only some line items have related objects);
 * - `v4.0`: every id a string, the ULID as `id`, `reason` for the event type, `resource_type` for the resource,
 *   no metadata. String ids are exact where a 64-bit event id in a plain JSON number is not.
 */
import type { Company } from '../company';
import { bigIntegerJson, microTimestamp, newUlid } from '../ids';
import type { ProjectChange } from '../projects/service';
import type { HookRecord, SandboxStore, WebhookEvent } from '../store';

/** Keys whose decimal-string values are written as bare JSON numbers (they exceed 2^53). */
export const BIG_ID_KEYS: ReadonlySet<string> = new Set(['id', 'event_id']);

export const PAYLOAD_VERSIONS = ['v2', 'v2.0', 'v3.0', 'v4.0'] as const;

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

/** The legacy object, in the field order of Procore's documented example. */
function legacyPayload(event: WebhookEvent, hook: HookRecord): Record<string, unknown> {
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

function v4Payload(event: WebhookEvent): Record<string, unknown> {
  const text = (value: number | null) => (value === null ? null : String(value));
  return {
    id: event.ulid,
    timestamp: event.timestamp,
    reason: event.event_type,
    company_id: text(event.company_id),
    project_id: text(event.project_id),
    user_id: text(event.user_id),
    resource_type: event.resource_name,
    resource_id: text(event.resource_id),
  };
}

/** The object a hook receives. */
export function payloadObject(event: WebhookEvent, hook: HookRecord): Record<string, unknown> {
  if (hook.api_version === 'v4.0') return v4Payload(event);
  if (hook.api_version === 'v3.0') return { ...legacyPayload(event, hook), related_resources: [] };
  return legacyPayload(event, hook);
}

export function renderPayload(event: WebhookEvent, hook: HookRecord): string {
  return bigIntegerJson(payloadObject(event, hook), BIG_ID_KEYS);
}
