/**
 * POST /webhooks/procore: checks the Authorization value registered with the hook before reading the body,
 * validates the body, hands the event to Temporal and only then answers 200. No Procore call happens before the answer: Procore gives up after
 * 5 s and pauses the whole endpoint while deliveries fail. A duplicate delivery (same ulid) is deduplicated by the
 * workflows, so answering 200 twice is harmless.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { errors } from '../../common/errors';
import { eventsDropped } from '../../common/metrics';
import type { ProcoreChange } from '../../workflows/project-sync/messages';
import { handProcoreChange, type Handoff } from '../temporal-handoff';
import { procoreWebhookBodySchema, webhookAcceptedSchema, type ProcoreWebhookBody } from './schema';

export interface ProcoreWebhookOptions {
  handoff: Handoff;
  /** The exact Authorization header value the hook was registered with. */
  expectedAuthorization: string;
  /** Procore's `source_application_id` of Tandem's own API client. */
  applicationId: string;
  companyId: number;
  onAccepted?: (change: ProcoreChange) => void;
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const procoreWebhooksPlugin: FastifyPluginAsync<ProcoreWebhookOptions> = async (app, options) => {
  app.post<{ Body: ProcoreWebhookBody }>(
    '/webhooks/procore',
    {
      schema: { body: procoreWebhookBodySchema, response: { 200: webhookAcceptedSchema } },
      // onRequest: before the body is read, so an unauthenticated sender cannot make the ingress read or parse anything.
      onRequest: async (request) => {
        if (!sameSecret(request.headers.authorization, options.expectedAuthorization))
          throw errors.WEBHOOK_UNAUTHORIZED();
      },
    },
    async (request) => {
      const body = request.body;
      if (body.resource_name !== 'Projects') return { accepted: false, ignored: `resource ${body.resource_name}` };
      if (body.company_id !== options.companyId) return { accepted: false, ignored: `company ${body.company_id}` };
      const change: ProcoreChange = {
        eventId: body.ulid,
        eventType: body.event_type.toLowerCase() as ProcoreChange['eventType'],
        procoreProjectId: String(body.resource_id),
        timestamp: body.timestamp ?? '',
        madeByTandem: body.metadata?.source_application_id === options.applicationId,
      };
      // Tandem's own create or update coming back: a webhook carries no values, and the ProjectSync that wrote it
      // already holds what Procore answered, so handing it over would only cost a router and a ProjectSync
      // workflow task for it to be dropped there (three workflow tasks of every created project).
      if (change.madeByTandem && change.eventType !== 'delete') {
        eventsDropped.inc({ reason: 'echo' });
        return { accepted: false, ignored: 'made by Tandem' };
      }
      try {
        await handProcoreChange(options.handoff, change);
      } catch (err) {
        // Procore retries a failed delivery: answering 503 loses nothing.
        throw errors.TEMPORAL_UNAVAILABLE((err as Error).message);
      }
      options.onAccepted?.(change);
      return { accepted: true };
    },
  );
};
