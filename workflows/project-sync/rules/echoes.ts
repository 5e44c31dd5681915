/**
 * Echoes: the change events Tandem's own Salesforce writes cause. Every write is remembered before it is sent (it
 * may echo before its answer comes); an event made by Tandem's client whose mapped values are all ones a write in
 * flight set is that write's echo and costs no read. An echo also tells Salesforce's LastModifiedDate after the write,
 * and, with its replay id, orders the write against people's edits in the same second (claims.ts).
 */
import { fromSalesforce } from '../../../mappings/project-mapping';
import type { CanonicalFields, CanonicalValue } from '../../../mappings/types';
import { sameValue } from '../merge';
import type { SalesforceChange, SalesforceWrite } from '../messages';
import { claimsWrittenOver, findOverwrittenEdits } from './claims';
import { IN_FLIGHT_LIMIT, remember, type RulesContext, secondOf } from './context';

/**
 * Whether a Salesforce change is the echo of one of Tandem's writes not yet echoed: made by Tandem's client, and
 * every mapped value it carries is one that write set. The echo of the newest write also tells Salesforce's
 * LastModifiedDate after it, which the next conditional write is based on.
 */
export function takeSalesforceEcho(ctx: RulesContext, change: SalesforceChange): boolean {
  if (!change.madeByTandem || change.changeType !== 'UPDATE') return false;
  const { conv } = ctx;
  const carried = fromSalesforce(ctx.mapping, change.fields);
  const matches = (written: SalesforceWrite) =>
    Object.entries(carried).every(([name, value]) => name in written.values && sameValue(written.values[name], value));
  // Newest first: of two writes with the same values, the later one's condition is the one that counts.
  let index = conv.inFlight.length - 1;
  while (index >= 0 && !matches(conv.inFlight[index])) index--;
  if (index < 0) return takeOvertakenEcho(ctx, change, matches);
  const newest = index === conv.inFlight.length - 1;
  const write = conv.inFlight[index];
  // Writes are made one after another, so an echo also stands for every older write; those are kept aside, to be
  // recognised by their own echoes (events can come out of order), for the edits they may have overwritten.
  const older = conv.inFlight.splice(0, index + 1).slice(0, index);
  if (older.length > 0) conv.overtaken = [...(conv.overtaken ?? []), ...older].slice(-IN_FLIGHT_LIMIT);
  const view = conv.seen.salesforce;
  if (newest && view) view.at = Math.max(view.at, secondOf(change.commitTimestamp));
  // The write passed its condition: from its echo on, the record is known again as of its commit.
  if (newest) delete conv.salesforceKnownAt;
  rememberEcho(ctx, write, change);
  return true;
}

/**
 * The late echo of a write a newer echo already stood for: recognised (no read needed) and remembered with its own
 * replay id, so that an edit it overwrote unseen is found. Oldest match first, as they were written.
 */
function takeOvertakenEcho(
  ctx: RulesContext,
  change: SalesforceChange,
  matches: (write: SalesforceWrite) => boolean,
): boolean {
  const overtaken = ctx.conv.overtaken ?? [];
  const index = overtaken.findIndex(matches);
  if (index < 0) return false;
  const [write] = overtaken.splice(index, 1);
  if (overtaken.length === 0) delete ctx.conv.overtaken;
  rememberEcho(ctx, write, change);
  return true;
}

function rememberEcho(ctx: RulesContext, write: SalesforceWrite, change: SalesforceChange): void {
  if (typeof change.replayId !== 'number') return;
  ctx.conv.echoes = remember(ctx.conv.echoes, { ...write, replayId: change.replayId });
  findOverwrittenEdits(ctx);
}

/** Called before the write is sent, so that its echo is recognised even if it overtakes the answer. */
export function beginSalesforceWrite(ctx: RulesContext, values: CanonicalFields, unmodifiedSince: number | null): void {
  const { conv } = ctx;
  const view = conv.seen.salesforce;
  const basis = Object.fromEntries(Object.keys(values).map((name) => [name, view?.values[name] ?? null]));
  // Values the write is based on that Tandem knows only from a read: an edit in the condition's second is ordered
  // against them when their own event comes (claims.ts, `basisEventCame`).
  const basisFromRead = Object.keys(values).filter(
    (name) => conv.readDated && name in conv.readDated && sameValue(conv.readDated[name], basis[name]),
  );
  const knownSince = conv.salesforceKnownAt;
  conv.inFlight.push({
    values: { ...values },
    unmodifiedSince,
    basis,
    ...(knownSince ? { knownSince } : {}),
    ...(basisFromRead.length > 0 ? { basisFromRead } : {}),
  });
  claimsWrittenOver(ctx, values);
  if (conv.inFlight.length > IN_FLIGHT_LIMIT) conv.inFlight.splice(0, conv.inFlight.length - IN_FLIGHT_LIMIT);
}

/**
 * Salesforce refused the write (412). It is kept: if an earlier attempt of it landed and only its answer was lost
 * (the 412 then came from that attempt's own change), its echo still comes and must be recognised.
 */
export function abandonSalesforceWrite(ctx: RulesContext): void {
  const last = ctx.conv.inFlight[ctx.conv.inFlight.length - 1];
  if (last) last.refused = true;
}

/** A value one of Tandem's unechoed writes set: no person's event will date it. */
export function writtenInFlight(ctx: RulesContext, name: string, value: CanonicalValue): boolean {
  return ctx.conv.inFlight.some((w) => name in w.values && sameValue(w.values[name], value));
}
