/**
 * Quiescence: the faults are off and every part runs; the systems are quiet once no API call was made and no
 * webhook was waiting for `quietMs`, and then no Tandem workflow has work pending in Temporal and the CDC stream has
 * handed over Salesforce's newest change event (its news may come long after the edit: judging before it arrived
 * took a late event for a lost one). A sync that never gets there within the timeout is looping (or stuck).
 */
import { readCalls, type CallCounts } from './api-calls';
import { sleep } from './random';
import type { SoakSystem } from './system';
import type { TemporalWork } from './temporal-idle';

export interface Quiescence {
  reached: boolean;
  /** From the start of the wait to the start of the quiet stretch. */
  afterMs: number;
  counts: CallCounts;
  /** What was still busy when the timeout ran out. */
  busy?: string;
  /** Quiet stretches that ended because Temporal still had work (a retry waiting, a killed worker's timeout). */
  waitedOnTemporal: number;
}

const POLL_MS = 250;

export async function waitForQuiet(
  system: SoakSystem,
  work: TemporalWork,
  quietMs: number,
  timeoutMs: number,
): Promise<Quiescence> {
  const started = Date.now();
  const read = () => readCalls(system.salesforceUrl, system.procoreUrl);
  let counts = await read();
  let last = JSON.stringify(counts);
  let quietSince = Date.now();
  let busy: string | undefined = 'not yet checked';
  let waitedOnTemporal = 0;
  while (Date.now() - started < timeoutMs) {
    await sleep(POLL_MS);
    counts = await read();
    const now = JSON.stringify(counts);
    if (now !== last || counts.pendingWebhooks > 0) {
      last = now;
      quietSince = Date.now();
      continue;
    }
    if (Date.now() - quietSince < quietMs) continue;
    busy = await work.busy({ startedAt: system.startedAt('cdc'), newestChangeEvent: counts.newestChangeEvent });
    if (!busy && JSON.stringify(await read()) === last)
      return { reached: true, afterMs: quietSince - started, counts, waitedOnTemporal };
    if (busy) waitedOnTemporal += 1;
    quietSince = Date.now();
  }
  return { reached: false, afterMs: Date.now() - started, counts, busy, waitedOnTemporal };
}
