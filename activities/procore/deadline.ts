/**
 * An activity attempt that outlives its timeout overlaps Temporal's retry of it: two creates at once. So every
 * request of an attempt ends before the attempt's start-to-close deadline and within its heartbeat timeout, and the
 * attempt heartbeats before each request: a retry only ever starts after the previous attempt has stopped.
 */
import { Context } from '@temporalio/activity';

/** Time kept between a request's end and the server's timeout: scheduling and clock jitter. */
const MARGIN_MS = 3_000;

export interface AttemptClock {
  /** Epoch ms by which the next request must have ended. */
  nextDeadline(): number;
  /** Tells Temporal the attempt is alive, before each request. */
  beat(): void;
}

function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

export function attemptClock(): AttemptClock {
  const context = currentContext();
  if (!context) return { nextDeadline: () => Date.now() + 20_000, beat: () => undefined };
  const { startToCloseTimeoutMs, heartbeatTimeoutMs } = context.info;
  const attemptDeadline = Date.now() + startToCloseTimeoutMs - MARGIN_MS;
  const perRequest = (heartbeatTimeoutMs ?? startToCloseTimeoutMs) - MARGIN_MS;
  return {
    nextDeadline: () => Math.min(attemptDeadline, Date.now() + perRequest),
    beat: () => context.heartbeat(),
  };
}

/** Whether this is the activity's first attempt (outside an activity, e.g. a script, it counts as a retry). */
export function firstAttempt(): boolean {
  return currentContext()?.info.attempt === 1;
}
