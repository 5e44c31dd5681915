/**
 * Quiescence: the faults are off and every part runs; the systems are quiet once no API call was made and no
 * webhook was waiting for `quietMs`. A sync that never gets there within the timeout is looping (or stuck).
 */
import { readCalls, type CallCounts } from './api-calls';
import { sleep } from './random';

export interface Quiescence {
  reached: boolean;
  /** From the start of the wait to the start of the quiet stretch. */
  afterMs: number;
  counts: CallCounts;
}

const POLL_MS = 250;

export async function waitForQuiet(salesforceUrl: string, procoreUrl: string, quietMs: number, timeoutMs: number): Promise<Quiescence> {
  const started = Date.now();
  let counts = await readCalls(salesforceUrl, procoreUrl);
  let last = JSON.stringify(counts);
  let quietSince = counts.pendingWebhooks === 0 ? Date.now() : Number.POSITIVE_INFINITY;
  while (Date.now() - started < timeoutMs) {
    await sleep(POLL_MS);
    counts = await readCalls(salesforceUrl, procoreUrl);
    const now = JSON.stringify(counts);
    if (now !== last || counts.pendingWebhooks > 0) {
      last = now;
      quietSince = counts.pendingWebhooks === 0 ? Date.now() : Number.POSITIVE_INFINITY;
    } else if (Date.now() - quietSince >= quietMs) {
      return { reached: true, afterMs: quietSince - started, counts };
    }
  }
  return { reached: false, afterMs: Date.now() - started, counts };
}
