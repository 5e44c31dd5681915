/** The v1.0 webhooks API: hooks, their triggers and deliveries, and the list of subscribable resources. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Company } from '../company';
import { procoreErrors } from '../errors';
import { bigIntegerJson } from '../ids';
import type { ProjectService } from '../projects/service';
import type {
  DeliveryOutcome,
  DeliveryRecord,
  HookRecord,
  SandboxStore,
  TriggerRecord,
  WebhookEventType,
} from '../store';
import type { WebhookDeliverer } from './deliverer';
import { BIG_ID_KEYS, payloadObject } from './payload';
import {
  deliveriesQuerySchema,
  hookCreateBodySchema,
  hookParamsSchema,
  hookUpdateBodySchema,
  type RESOURCE_NAMES,
  scopeQuerySchema,
  triggerCreateBodySchema,
  type DeliveriesQuery,
  type HookCreateBody,
  type HookParams,
  type HookUpdateBody,
  type ScopeQuery,
  type TriggerCreateBody,
} from './schemas';

export interface WebhookRouteParts {
  store: SandboxStore;
  company: Company;
  projects: ProjectService;
  deliverer: WebhookDeliverer;
}

interface Scope {
  company_id: number;
  project_id: number | null;
}

interface ScopeSource {
  company_id?: number;
  project_id?: number;
}

const STATUS_OUTCOMES: Record<string, readonly DeliveryOutcome[]> = {
  successful: ['ok'],
  failing: ['retried', 'failed'],
  discarded: ['discarded'],
};
const DEFAULT_DELIVERY_PAGE_SIZE = 100;

interface Resource {
  resource_name: (typeof RESOURCE_NAMES)[number];
  product_category: string;
  tools: string[];
  except: WebhookEventType[];
}

/**
 * What can be subscribed to. Projects offer create and update, not delete: Procore has no project delete (a project
 * is deactivated, which is an update with `active: false`), and real resource listings show `except: ["delete"]`
 * for Projects (a company's listing recorded in public: mechamoby/Procore-Instrumentality-Project,
 * memory/eva/procore-api/WEBHOOK-RESOURCES-CONFIRMED.md).
 */
const RESOURCES: readonly Resource[] = [
  { resource_name: 'Projects', product_category: 'Core', tools: ['Portfolio'], except: ['delete'] },
];

function presentResource(resource: Resource): Record<string, unknown> {
  const offers = (type: WebhookEventType) => !resource.except.includes(type);
  const events = { create: offers('create'), update: offers('update'), delete: offers('delete') };
  return { ...resource, api_version: 'v2', ...events };
}

/** Procore echoes only the last five characters of a destination's Authorization value. */
function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const value = headers.Authorization;
  return value ? { Authorization: `****${value.slice(-5)}` } : {};
}

function presentHook(hook: HookRecord): Record<string, unknown> {
  return {
    id: hook.id,
    api_version: hook.api_version,
    namespace: hook.namespace,
    destination_url: hook.destination_url,
    destination_headers: maskHeaders(hook.destination_headers),
    owned_by_company_id: hook.project_id === null ? hook.company_id : null,
    owned_by_project_id: hook.project_id,
    owned_by_user_id: hook.owned_by_user_id,
  };
}

function presentTrigger(trigger: TriggerRecord): Record<string, unknown> {
  return { ...trigger, resource_id: null };
}

function presentDelivery(delivery: DeliveryRecord, hook: HookRecord): Record<string, unknown> {
  const { hook_id: _hookId, id, event, ...rest } = delivery;
  return { id, event_id: event.id, event: payloadObject(event, hook), ...rest };
}

/** Lists whose items hold event ids beyond 2^53 are serialised by hand so those ids stay exact numbers. */
function sendWithBigIds(reply: FastifyReply, value: unknown): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(bigIntegerJson(value, BIG_ID_KEYS));
}

export function webhookRoutes({ store, company, projects, deliverer }: WebhookRouteParts) {
  /** A hook is owned by the company or by one of its projects; either id may come in the body or the query. */
  function resolveScope(...sources: ScopeSource[]): Scope {
    const projectId = sources.find((s) => s.project_id !== undefined)?.project_id;
    if (projectId !== undefined) return { company_id: company.id, project_id: projects.find(projectId).id };
    const companyId = sources.find((s) => s.company_id !== undefined)?.company_id;
    return { company_id: company.checkParam(companyId), project_id: null };
  }

  function findHook(params: HookParams): HookRecord {
    const hook = store.state.hooks.find((h) => h.id === Number(params.hook_id));
    if (!hook) throw procoreErrors.NOT_FOUND();
    return hook;
  }

  function hooksInScope(scope: Scope, query: ScopeQuery): HookRecord[] {
    return store.state.hooks.filter(
      (h) =>
        h.company_id === scope.company_id &&
        h.project_id === scope.project_id &&
        (query.namespace === undefined || h.namespace === query.namespace) &&
        (query.api_version === undefined || h.api_version === query.api_version),
    );
  }

  return async function webhooksPlugin(app: FastifyInstance): Promise<void> {
    const params = hookParamsSchema;

    app.get<{ Querystring: ScopeQuery }>(
      '/rest/v1.0/webhooks/hooks',
      { schema: { querystring: scopeQuerySchema } },
      async (request) => {
        return hooksInScope(resolveScope(request.query), request.query).map(presentHook);
      },
    );

    app.post<{ Body: HookCreateBody; Querystring: ScopeQuery }>(
      '/rest/v1.0/webhooks/hooks',
      { schema: { body: hookCreateBodySchema, querystring: scopeQuerySchema } },
      async (request, reply) => {
        const scope = resolveScope(request.body, request.query);
        const input = request.body.hook;
        if (!input) throw procoreErrors.PARAM_MISSING('hook');
        const hook: HookRecord = {
          id: store.nextId('hookId'),
          ...scope,
          owned_by_user_id: company.serviceAccount.id,
          api_version: input.api_version ?? 'v2',
          namespace: input.namespace,
          destination_url: input.destination_url,
          destination_headers: input.destination_headers?.Authorization
            ? { Authorization: input.destination_headers.Authorization }
            : {},
        };
        store.state.hooks.push(hook);
        store.changed();
        return reply.code(201).send(presentHook(hook));
      },
    );

    app.get<{ Params: HookParams }>('/rest/v1.0/webhooks/hooks/:hook_id', { schema: { params } }, async (request) =>
      presentHook(findHook(request.params)),
    );

    app.patch<{ Params: HookParams; Body: HookUpdateBody }>(
      '/rest/v1.0/webhooks/hooks/:hook_id',
      { schema: { params, body: hookUpdateBodySchema } },
      async (request) => {
        const hook = findHook(request.params);
        const { destination_headers: headers, ...rest } = request.body.hook ?? {};
        Object.assign(hook, rest);
        // Updating a hook is how its owner turns delivery back on after Procore disabled it.
        hook.disabled = false;
        if (headers !== undefined)
          hook.destination_headers = headers?.Authorization ? { Authorization: headers.Authorization } : {};
        store.changed();
        return presentHook(hook);
      },
    );

    app.delete<{ Params: HookParams }>(
      '/rest/v1.0/webhooks/hooks/:hook_id',
      { schema: { params } },
      async (request, reply) => {
        const hook = findHook(request.params);
        store.state.hooks = store.state.hooks.filter((h) => h !== hook);
        store.state.triggers = store.state.triggers.filter((t) => t.webhook_hook_id !== hook.id);
        deliverer.forgetHook(hook.id);
        return reply.code(204).send();
      },
    );

    app.get<{ Params: HookParams }>(
      '/rest/v1.0/webhooks/hooks/:hook_id/triggers',
      { schema: { params } },
      async (request) => {
        const hook = findHook(request.params);
        return store.state.triggers.filter((t) => t.webhook_hook_id === hook.id).map(presentTrigger);
      },
    );

    app.post<{ Params: HookParams; Body: TriggerCreateBody }>(
      '/rest/v1.0/webhooks/hooks/:hook_id/triggers',
      { schema: { params, body: triggerCreateBodySchema } },
      async (request, reply) => {
        const hook = findHook(request.params);
        const input = request.body.trigger;
        // The webhooks API page: the body "must include `api_version` and a `trigger` object".
        if (!request.body.api_version) throw procoreErrors.PARAM_MISSING('api_version');
        if (!input) throw procoreErrors.PARAM_MISSING('trigger');
        const resource = RESOURCES.find((r) => r.resource_name === input.resource_name);
        if (resource?.except.includes(input.event_type)) {
          const message = `${input.event_type} is not available for ${input.resource_name}`;
          throw procoreErrors.UNPROCESSABLE({ event_type: [message] });
        }
        const taken = store.state.triggers.some(
          (t) =>
            t.webhook_hook_id === hook.id &&
            t.resource_name === input.resource_name &&
            t.event_type === input.event_type,
        );
        if (taken) throw procoreErrors.UNPROCESSABLE({ event_type: ['has already been taken'] });
        const trigger: TriggerRecord = {
          id: store.nextId('triggerId'),
          webhook_hook_id: hook.id,
          resource_name: input.resource_name,
          event_type: input.event_type,
          company_id: hook.company_id,
          project_id: hook.project_id,
          user_id: company.serviceAccount.id,
        };
        store.state.triggers.push(trigger);
        store.changed();
        return reply.code(201).send(presentTrigger(trigger));
      },
    );

    app.delete<{ Params: HookParams }>(
      '/rest/v1.0/webhooks/hooks/:hook_id/triggers/:id',
      { schema: { params } },
      async (request, reply) => {
        const hook = findHook(request.params);
        const trigger = store.state.triggers.find(
          (t) => t.webhook_hook_id === hook.id && t.id === Number(request.params.id),
        );
        if (!trigger) throw procoreErrors.NOT_FOUND();
        store.state.triggers = store.state.triggers.filter((t) => t !== trigger);
        store.changed();
        return reply.code(204).send();
      },
    );

    app.get<{ Params: HookParams; Querystring: DeliveriesQuery }>(
      '/rest/v1.0/webhooks/hooks/:hook_id/deliveries',
      { schema: { params, querystring: deliveriesQuerySchema } },
      async (request, reply) => {
        const hook = findHook(request.params);
        const status = request.query['filter[status]'] ?? request.query['filters[status]'] ?? 'any';
        const outcomes = STATUS_OUTCOMES[status];
        const after = request.query.page_start ?? 0;
        const page = store.state.deliveries
          .filter((d) => d.hook_id === hook.id && d.id > after && (!outcomes || outcomes.includes(d.outcome)))
          .slice(0, request.query.page_size ?? DEFAULT_DELIVERY_PAGE_SIZE);
        return sendWithBigIds(
          reply,
          page.map((d) => presentDelivery(d, hook)),
        );
      },
    );

    app.get('/rest/v1.0/webhooks/resources', async () => RESOURCES.map(presentResource));
  };
}
