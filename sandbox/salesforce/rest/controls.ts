/**
 * Sandbox controls under `/sandbox/` (not part of Salesforce): edits "as a user in the UI", the fault switch,
 * gap events on demand, expiring the retained events, API call statistics, a record dump and a health check. They are not counted as API calls.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { GAP_CHANGE_TYPES, type Actor } from '../change-events';
import { LATEST_API_VERSION, type SandboxContext } from '../context';
import { faultsInput } from '../faults';
import { CONSOLE_USER_ID, isValidId, normalizeId } from '../ids';
import { nowSeconds, parseRecordInput } from '../values';
import { renderRecord } from './render';

/** A Lightning edit by a person: Salesforce's internal SOAP client as changeOrigin, and a human user. */
export const CONSOLE_ACTOR: Actor = {
  userId: CONSOLE_USER_ID,
  changeOrigin: `com/salesforce/api/soap/${LATEST_API_VERSION}.0;client=SfdcInternalAPI/`,
};
const VERSION = `${LATEST_API_VERSION}.0`;

const gapInput = z
  .object({
    changeType: z.enum(GAP_CHANGE_TYPES),
    recordIds: z.array(z.string().refine(isValidId, 'not a Salesforce id')).optional(),
  })
  .strict()
  .refine(
    (g) => g.changeType === 'GAP_OVERFLOW' || (g.recordIds?.length ?? 0) > 0,
    'recordIds are required for this changeType',
  );

interface IdParams {
  id: string;
}

export async function controlRoutes(app: FastifyInstance, ctx: SandboxContext): Promise<void> {
  const { schema, records } = ctx;
  const uiPath = `/sandbox/ui/${schema.name}`;

  app.get('/sandbox/health', async () => ({ ok: true }));
  app.get('/sandbox/stats', async () => ({
    ...ctx.stats.snapshot(),
    changeEvents: { newestReplayId: ctx.changes.newestReplayId },
  }));
  app.get('/sandbox/records', async () => ctx.store.all(true).map((r) => renderRecord(schema, VERSION, r)));
  app.get('/sandbox/events', async () => ctx.changes.retained());

  app.post(uiPath, async (request, reply) => {
    const record = records.create(parseRecordInput(schema, request.body), CONSOLE_ACTOR);
    return reply.code(201).send(renderRecord(schema, VERSION, record));
  });
  app.patch<{ Params: IdParams }>(`${uiPath}/:id`, async (request) => {
    const id = String(records.live(request.params.id).Id);
    const record = records.update(id, parseRecordInput(schema, request.body, id), CONSOLE_ACTOR);
    return renderRecord(schema, VERSION, record);
  });
  app.delete<{ Params: IdParams }>(`${uiPath}/:id`, async (request) => {
    return renderRecord(schema, VERSION, records.delete(request.params.id, CONSOLE_ACTOR));
  });
  app.post<{ Params: IdParams }>(`${uiPath}/:id/undelete`, async (request) => {
    return renderRecord(schema, VERSION, records.undelete(request.params.id, CONSOLE_ACTOR));
  });

  // The API user loses or regains access to one record (a sharing change): the API answers NOT_FOUND for it.
  app.post<{ Params: IdParams; Body: { visible?: boolean } }>(`${uiPath}/:id/api-access`, async (request) => {
    const visible = request.body?.visible === true;
    records.setApiAccess(request.params.id, visible);
    return { visible };
  });

  app.get('/sandbox/faults', async () => ctx.faults.current());
  app.delete('/sandbox/faults', async () => ctx.faults.clear());
  app.post('/sandbox/faults', async (request) => {
    const input = faultsInput.parse(request.body ?? {});
    const faults = ctx.faults.set(input);
    const expiredSessions = input.expireSessions ? ctx.sessions.expireAll() : 0;
    // Held long-polls come back at once, so streaming clients meet the expired session without waiting 110 s.
    if (input.expireSessions) ctx.cometd.endLongPolls();
    const droppedClients = input.dropCometd ? ctx.cometd.dropClients() : 0;
    return { ...faults, expiredSessions, droppedClients };
  });

  // Every retained change event past its retention, as after a CDC outage longer than 72 hours: a subscriber's
  // stored replayId is then invalid and what happened meanwhile must be found another way.
  app.post('/sandbox/expire-events', async () => ({ expired: ctx.changes.expireAll() }));

  app.post('/sandbox/gap', async (request, reply) => {
    const gap = gapInput.parse(request.body);
    const recordIds = gap.changeType === 'GAP_OVERFLOW' ? [] : (gap.recordIds ?? []).map(normalizeId);
    const event = ctx.changes.publish({
      changeType: gap.changeType,
      recordIds,
      fields: {},
      changedFields: [],
      // Gap events stand for changes made below the API (database jobs, oversize events): no API origin.
      actor: { userId: CONSOLE_USER_ID, changeOrigin: '' },
      commitTimestamp: nowSeconds().getTime(),
    });
    return reply.code(201).send(event);
  });
}
