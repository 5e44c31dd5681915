/**
 * The CDC subscriber as a heartbeating activity of the singleton SalesforceChangeStream workflow. The heartbeat
 * details are the cursor: a retry (after a crash, on any CDC worker) resumes right after the last event that
 * Temporal accepted. Events handed over twice are dropped by the ProjectSync's event-id check.
 */
import { Context } from '@temporalio/activity';
import type { Logger } from '../../../common/logger';
import { eventsReceived } from '../../../common/metrics';
import type { SalesforceSession } from '../session';
import type { ChangeStreamActivities, ChangeStreamCursor, FollowChangesInput } from './types';
import type { SalesforceChange } from '../types';
import { toSalesforceChanges } from './change-event';
import { ChangeEventSubscriber } from './subscriber';
import { findProjectsModifiedSince } from './reconcile';

/** Where accepted changes go: Temporal, through the ingress's handoff (injected, so activities need no client). */
export interface SalesforceHandoff {
  salesforceChange(salesforceId: string, change: SalesforceChange): Promise<void>;
  resync(salesforceId: string, reason: string): Promise<void>;
}

export interface ChangeStreamDeps {
  session: SalesforceSession;
  handoff: SalesforceHandoff;
  logger: Logger;
  /** How often the activity heartbeats (and checks the subscriber) while idle. */
  heartbeatEveryMs?: number;
}

/** Without any cursor, a reconciliation covers the whole CDC retention window. */
const RETENTION_MS = 72 * 60 * 60 * 1000;

export function createChangeStreamActivities(deps: ChangeStreamDeps): ChangeStreamActivities {
  const { session, handoff, logger } = deps;
  const clientName = session.settings.clientName;

  return {
    async followSalesforceChanges(input: FollowChangesInput) {
      const ctx = Context.current();
      const resumed = ctx.info.heartbeatDetails as ChangeStreamCursor | undefined;
      const subscriber = new ChangeEventSubscriber(resumed ?? input.cursor, input.startReplayId, {
        logger,
        connect: async (fresh) => {
          if (fresh) session.reset();
          return session.connection();
        },
        onEvent: async (event) => {
          for (const { salesforceId, change } of toSalesforceChanges(event, clientName)) {
            await handoff.salesforceChange(salesforceId, change);
            eventsReceived.inc({ source: 'salesforce' });
          }
        },
        onGap: async (since, reason) => {
          const ids = await findProjectsModifiedSince(await session.connection(), since ?? Date.now() - RETENTION_MS);
          logger.warn(
            { reason, since, records: ids.length },
            'reconciling Salesforce records that may have been missed',
          );
          for (const id of ids) await handoff.resync(id, `cdc-reconcile: ${reason}`);
        },
        onCursor: (cursor) => ctx.heartbeat(cursor),
      });

      await subscriber.start();
      const deadline = Date.now() + input.runForMs;
      const tick = deps.heartbeatEveryMs ?? 2000;
      try {
        while (Date.now() < deadline) {
          await Promise.race([ctx.sleep(tick), ctx.cancelled]);
          subscriber.check();
          ctx.heartbeat(subscriber.position ?? undefined);
        }
      } finally {
        await subscriber.stop();
      }
      return { cursor: subscriber.position, eventsHandled: subscriber.handled };
    },
  };
}
