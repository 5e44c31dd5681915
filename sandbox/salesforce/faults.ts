/**
 * The fault switch: added latency, a share of 500/503 answers and REQUEST_LIMIT_EXCEEDED for API calls, and lost
 * answers (the next N writes are carried out, then the connection drops before the answer: the client cannot tell
 * whether its write landed), so that clients' retry and back-off paths can be exercised. One-shot actions
 * (dropping CometD clients, expiring sessions) are carried out by whoever owns those resources; this module only
 * parses and holds the switch.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { sfErrors, type SalesforceError } from './errors';

export const faultsInput = z
  .object({
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    errorRate: z.number().min(0).max(1).optional(),
    requestLimitExceeded: z.boolean().optional(),
    loseWriteAnswers: z.number().int().min(0).max(1000).optional(),
    dropCometd: z.boolean().optional(),
    expireSessions: z.boolean().optional(),
  })
  .strict();
export type FaultsInput = z.infer<typeof faultsInput>;

export interface FaultState {
  latencyMs: number;
  errorRate: number;
  requestLimitExceeded: boolean;
  /** How many more writes (POST, PATCH, DELETE) are committed with their answer lost. */
  loseWriteAnswers: number;
}

const NONE: FaultState = { latencyMs: 0, errorRate: 0, requestLimitExceeded: false, loseWriteAnswers: 0 };
const WRITES = new Set(['POST', 'PATCH', 'DELETE']);

export class Faults {
  private state: FaultState = { ...NONE };

  /** Merges the lasting switches of `input` into the current state; one-shot flags are left to the caller. */
  set(input: FaultsInput): FaultState {
    const { dropCometd: _drop, expireSessions: _expire, ...lasting } = input;
    this.state = { ...this.state, ...lasting };
    return this.current();
  }

  clear(): FaultState {
    this.state = { ...NONE };
    return this.current();
  }

  current(): FaultState {
    return { ...this.state };
  }

  /** Whether this committed call's answer is to be lost (counting it down). */
  losesAnswer(method: string): boolean {
    if (!WRITES.has(method) || this.state.loseWriteAnswers <= 0) return false;
    this.state.loseWriteAnswers--;
    return true;
  }

  /**
   * Applies the latency, then says which error (if any) this API call gets. `limited` is false for calls the
   * daily request limit does not cover (the OAuth token endpoint).
   */
  async onApiCall(limited: boolean): Promise<SalesforceError | undefined> {
    if (this.state.latencyMs > 0) await sleep(this.state.latencyMs);
    if (limited && this.state.requestLimitExceeded) return sfErrors.REQUEST_LIMIT_EXCEEDED();
    if (this.state.errorRate <= 0 || Math.random() >= this.state.errorRate) return undefined;
    return Math.random() < 0.5 ? sfErrors.SERVER_UNAVAILABLE() : sfErrors.UNKNOWN_EXCEPTION(errorId());
  }
}

/** Salesforce's support reference in UNKNOWN_EXCEPTION messages, e.g. `1234567-89012 (-1234567890)`. */
function errorId(): string {
  const n = (digits: number) => String(Math.floor(Math.random() * 10 ** digits)).padStart(digits, '0');
  return `${n(7)}-${n(5)} (-${n(10)})`;
}
