/** Input schemas for the v1.0 webhooks API (hooks, triggers, deliveries). */
import { z } from 'zod';
import { companyIdValue, queryInt } from '../params';
import { PAYLOAD_VERSIONS } from './payload';

/** A hook's `api_version` is its payload format (payload.ts); `v2` and `v2.0` name the same one. */
export const API_VERSIONS = PAYLOAD_VERSIONS;
export const RESOURCE_NAMES = ['Projects'] as const;

const scopeBody = { company_id: companyIdValue.optional(), project_id: companyIdValue.optional() };

const destinationHeaders = z
  .strictObject({ Authorization: z.string().max(4096).optional() })
  .nullable()
  .optional();
const hookFields = {
  api_version: z.enum(API_VERSIONS).optional(),
  namespace: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'may contain only lowercase letters, digits and dashes')
    .max(100),
  destination_url: z.url({ protocol: /^https?$/ }).max(2048),
  destination_headers: destinationHeaders,
};

export const hookCreateBodySchema = z.strictObject({ ...scopeBody, hook: z.strictObject(hookFields).optional() });
export type HookCreateBody = z.output<typeof hookCreateBodySchema>;

export const hookUpdateBodySchema = z.strictObject({
  ...scopeBody,
  hook: z.strictObject(hookFields).partial().optional(),
});
export type HookUpdateBody = z.output<typeof hookUpdateBodySchema>;

/** Docs send event types in lowercase, the spec's enum is uppercase: accept either, store lowercase. */
const eventType = z
  .string()
  .transform((v) => v.toLowerCase())
  .pipe(z.enum(['create', 'update', 'delete']));

export const triggerCreateBodySchema = z.strictObject({
  ...scopeBody,
  api_version: z.enum(API_VERSIONS).optional(),
  trigger: z.strictObject({ resource_name: z.enum(RESOURCE_NAMES), event_type: eventType }).optional(),
});
export type TriggerCreateBody = z.output<typeof triggerCreateBodySchema>;

export const scopeQuerySchema = z.object({
  company_id: queryInt.optional(),
  project_id: queryInt.optional(),
  namespace: z.string().optional(),
  api_version: z.string().optional(),
});
export type ScopeQuery = z.output<typeof scopeQuerySchema>;

const deliveryStatus = z.enum(['any', 'successful', 'failing', 'discarded']);
export const deliveriesQuerySchema = scopeQuerySchema.extend({
  'filter[status]': deliveryStatus.optional(),
  'filters[status]': deliveryStatus.optional(),
  page_size: queryInt.optional(),
  page_start: queryInt.optional(),
});
export type DeliveriesQuery = z.output<typeof deliveriesQuerySchema>;

export const hookParamsSchema = z.object({ hook_id: z.string(), id: z.string().optional() });
export type HookParams = z.output<typeof hookParamsSchema>;
