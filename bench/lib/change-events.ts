/**
 * Following Salesforce change events from now on, with Tandem's own subscriber (so reconnects and expired sessions
 * are handled as Tandem handles them), for callers that keep no cursor: the observers and the floor.
 */
import type { SalesforceSession } from '../../activities/salesforce/session';
import type { Logger } from '../../common/logger';
import type { ChangeEvent } from '../../activities/salesforce/cdc/change-event';
import { ChangeEventSubscriber } from '../../activities/salesforce/cdc/subscriber';

export interface Following {
  stop(): Promise<void>;
}

export async function followNewChangeEvents(
  session: SalesforceSession,
  onEvent: (event: ChangeEvent) => Promise<void>,
  logger: Logger,
): Promise<Following> {
  const subscriber = new ChangeEventSubscriber(null, -1, {
    logger,
    connect: async (fresh) => {
      if (fresh) session.reset();
      return session.connection();
    },
    onEvent,
    onGap: async () => undefined,
    onCursor: () => undefined,
  });
  await subscriber.start();
  return { stop: () => subscriber.stop() };
}
