/**
 * Faults that keep the news of an edit from Tandem: Salesforce change events stall while the CDC worker is down or
 * its CometD connection or session is lost (it resumes from its replay id, so they come late, not never), and a
 * Procore webhook dropped or held back. Tandem then learns of the edit by reading the record, and under `latest`
 * dates it by that read (docs/sync-semantics.md: `LastModifiedDate` without the event, `updated_at` of the first
 * read that shows it), which is later than the edit when other fields changed in between. A conflict it meets is
 * then decided by those times, so either edit may win it: the soak reports such a lost edit apart, and does not
 * fail on it.
 */
import type { Side } from '../../../mappings';
import type { FaultSpan } from './chaos';

/** Per side, the faults that delay its news, and for how long after a fault ends its news can still be late. */
const DELAYING: Record<Side, Record<string, number>> = {
  // Measured: after an expired session or a killed CDC worker, events came up to ~11 s after the fault.
  salesforce: { killCdc: 12_000, dropCometd: 12_000, expireSessions: 12_000 },
  procore: { dropWebhooks: 1000, reorderWebhooks: 2000 },
};

/** An edit answered just before a fault may still have been on its way when it struck. */
const BEFORE_MS = 1000;

/** The fault that kept the news of an edit made on `side` at `at` from Tandem, if any. */
export function lateNews(side: Side, at: number, timeline: FaultSpan[]): string | undefined {
  const delaying = DELAYING[side];
  const fault = timeline.find((f) => f.kind in delaying && f.from - BEFORE_MS <= at && at <= f.to + delaying[f.kind]!);
  return fault?.kind;
}
