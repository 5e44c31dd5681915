/**
 * Views: what Tandem knows each system holds, field by field, with when that system changed each value by its own
 * clock. Learned from full reads, from the answers to Tandem's own writes, and from people's Salesforce change events
 * that are certainly newer than the view; never from one side's clock compared with the other's.
 */
import { conflictPolicyOf, fromSalesforce, translateLeniently } from '../../../mappings/project-mapping';
import type { CanonicalFields, ProjectMapping, RawFields, Side } from '../../../mappings/types';
import { SALESFORCE_LINK_FIELD } from '../../../mappings/link-field';
import type { ProcoreProjectRecord } from '../../../activities/procore/types';
import type { SalesforceProjectRecord } from '../../../activities/salesforce/types';
import { resolveConflict, sameValue } from '../merge';
import type { SalesforceChange } from '../messages';
import { isBlocked, settle } from './agreement';
import { endClaimsReplacedIn } from './claims';
import { fieldNamed, type RulesContext, secondOf } from './context';
import { writtenInFlight } from './echoes';

/** A full read of one side as canonical values: a field whose value cannot be translated is blocked alone. */
function translate(ctx: RulesContext, side: Side, raw: RawFields): CanonicalFields {
  const { conv } = ctx;
  const { values, untranslatable } = translateLeniently(ctx.mapping, side, raw);
  const kept = Object.entries(conv.blocked ?? {}).filter(([, blocked]) => blocked.side !== side);
  const found = Object.entries(untranslatable).map(([name, reason]) => [name, { side, reason }] as const);
  if (kept.length + found.length === 0) delete conv.blocked;
  else conv.blocked = Object.fromEntries([...kept, ...found]);
  return values;
}

/** Whether Tandem's view of Procore already holds this state of the project: as new, with the same values. */
export function showsProcore(ctx: RulesContext, project: ProcoreProjectRecord): boolean {
  const seen = ctx.conv.seen.procore;
  if (!seen || seen.at < project.updatedAt) return false;
  const { values, untranslatable } = translateLeniently(ctx.mapping, 'procore', project.fields);
  if (Object.keys(untranslatable).length > 0) return false;
  return Object.entries(values).every(([name, value]) => sameValue(seen.values[name], value));
}

/**
 * Takes a full Salesforce read as the truth about Salesforce. Change events of the batch that carry the value now
 * read give the exact time of that change; otherwise the record's LastModifiedDate bounds it, and the value is
 * remembered as dated by a read until its own event comes (`dateByEvent`).
 */
export function observeSalesforce(ctx: RulesContext, record: SalesforceProjectRecord, hints: SalesforceChange[]): void {
  const { state, conv } = ctx;
  state.stats.eventsApplied++;
  const previous = conv.seen.salesforce;
  if (record.status !== 'live') {
    state.deletedInSalesforce = true;
    // A deleted record is an inactive project to Procore; its other values stay as last seen.
    const values = { ...(previous?.values ?? {}), active: false };
    conv.seen.salesforce = { values, at: previous?.at ?? 0, changedAt: { ...(previous?.changedAt ?? {}) } };
    return;
  }
  state.deletedInSalesforce = false;
  const values = translate(ctx, 'salesforce', record.fields);
  for (const field of ctx.mapping.fields)
    if (!(field.name in values) && !isBlocked(ctx, field.name)) values[field.name] = null;
  const changedAt: Record<string, number> = {};
  for (const [name, value] of Object.entries(values)) {
    if (previous && name in previous.values && sameValue(previous.values[name], value)) {
      changedAt[name] = previous.changedAt[name] ?? previous.at;
      continue;
    }
    const hint = hints.find((h) => h.fields && carriesValue(ctx.mapping, h, name, value));
    changedAt[name] = hint ? hint.commitTimestamp : record.lastModifiedAt;
    if (hint || !previous || writtenInFlight(ctx, name, value)) delete conv.readDated?.[name];
    else conv.readDated = { ...conv.readDated, [name]: value };
  }
  conv.seen.salesforce = { values, at: record.lastModifiedAt, changedAt };
  delete conv.salesforceKnownAt;
  // A value neither claimed nor written by Tandem is a later edit, which replaces the claim.
  endClaimsReplacedIn(ctx, values, true);
  const linked = state.link.procoreProjectId;
  if (linked) state.link.writtenToSalesforce = record.fields[SALESFORCE_LINK_FIELD] === linked;
  settle(ctx);
}

/**
 * Applies a person's change event to Tandem's view of Salesforce without a read, when it is certainly newer than
 * everything the view holds: committed in a later second than the view's LastModifiedDate, and no write of
 * Tandem's is unaccounted for (one could have landed before or after it). Otherwise the record is read.
 */
export function takeSalesforceEdit(ctx: RulesContext, change: SalesforceChange): boolean {
  const { state, conv } = ctx;
  const view = conv.seen.salesforce;
  if (!view || view.at <= 0 || state.deletedInSalesforce || change.changeType !== 'UPDATE') return false;
  if (typeof change.replayId !== 'number') return false;
  if (conv.inFlight.length > 0 || secondOf(change.commitTimestamp) <= view.at) return false;
  let carried: CanonicalFields;
  try {
    carried = fromSalesforce(ctx.mapping, change.fields);
  } catch {
    return false;
  }
  state.stats.eventsApplied++;
  for (const [name, value] of Object.entries(carried)) {
    // An older event arriving after a newer one about the same field says nothing new.
    if ((conv.latestEdit?.[name] ?? 0) > change.replayId) continue;
    view.values[name] = value;
    view.changedAt[name] = change.commitTimestamp;
    delete conv.readDated?.[name];
  }
  // The next write is conditional on the event's second, so that it is not refused for an edit Tandem already
  // knows; the date known in full is kept, so that an edit in between whose event comes late is found overwritten.
  conv.salesforceKnownAt ??= view.at;
  view.at = Math.max(view.at, secondOf(change.commitTimestamp));
  endClaimsReplacedIn(ctx, carried, false);
  settle(ctx);
  return true;
}

/**
 * A person's change event for values Tandem had only read: their time is now the event's commit time, and a
 * `latest` conflict they won by the read's later date is decided again with it.
 */
export function dateByEvent(ctx: RulesContext, values: CanonicalFields, commitTimestamp: number): void {
  const { conv } = ctx;
  const view = conv.seen.salesforce;
  for (const [name, value] of Object.entries(values)) {
    const read = conv.readDated && name in conv.readDated ? conv.readDated[name] : undefined;
    if (read !== undefined && sameValue(read, value)) {
      delete conv.readDated?.[name];
      if (view && sameValue(view.values[name], value)) view.changedAt[name] = commitTimestamp;
    }
    const win = conv.provisional?.[name];
    if (!win || win.reversed || !sameValue(win.value, value)) continue;
    const field = fieldNamed(ctx, name);
    const salesforce = { value, changedAt: commitTimestamp };
    const procore = { value: win.procoreValue, changedAt: win.procoreAt };
    if (field && resolveConflict(ctx.mapping, field, salesforce, procore, ctx.settings).from === 'procore')
      win.reversed = true;
    else delete conv.provisional?.[name];
  }
}

/**
 * Before Procore is written: each field where a read-dated Salesforce value beat Procore's own change under
 * `latest` is remembered, to be decided again when the value's event gives its time.
 */
export function noteProvisionalWins(ctx: RulesContext, forProcore: CanonicalFields): void {
  const { state, conv } = ctx;
  const { salesforce, procore } = conv.seen;
  if (!salesforce || !procore) return;
  for (const [name, value] of Object.entries(forProcore)) {
    const field = fieldNamed(ctx, name);
    if (!field || field.direction !== 'both' || conflictPolicyOf(ctx.mapping, field) !== 'latest') continue;
    const read = conv.readDated && name in conv.readDated ? conv.readDated[name] : undefined;
    if (read === undefined || !sameValue(read, value) || !sameValue(salesforce.values[name], value)) continue;
    if (!(name in state.snapshot) || sameValue(procore.values[name], state.snapshot[name])) continue;
    const procoreAt = procore.changedAt[name] ?? procore.at;
    conv.provisional = {
      ...conv.provisional,
      [name]: { value, procoreValue: procore.values[name] ?? null, procoreAt },
    };
  }
}

/**
 * A Procore project as read or as a write answered it: the truth about Procore. Procore's webhooks say when a
 * project changed, not which field: a field first seen after later changes of other fields is dated by the earliest
 * webhook since the last read, not by the later updated_at.
 */
export function observeProcore(
  ctx: RulesContext,
  project: ProcoreProjectRecord,
  before?: { written: CanonicalFields; readUpdatedAt: number },
): void {
  const { state, conv } = ctx;
  state.stats.eventsApplied++;
  const previous = conv.seen.procore;
  const values = translate(ctx, 'procore', project.fields);
  const changedAt: Record<string, number> = {};
  for (const [name, value] of Object.entries(values)) {
    if (previous && name in previous.values && sameValue(previous.values[name], value)) {
      changedAt[name] = previous.changedAt[name] ?? previous.at;
      continue;
    }
    const written = before !== undefined && name in before.written;
    // Someone else's change the write's own read already showed: Tandem's PATCH moved updated_at, not it.
    const readAt = before && !written ? before.readUpdatedAt : project.updatedAt;
    const news = written || !previous ? undefined : firstProcoreNews(ctx, previous.at, readAt);
    changedAt[name] = news ?? readAt;
  }
  conv.seen.procore = { values, at: project.updatedAt, changedAt };
  for (const name of Object.keys(conv.notStored ?? {})) {
    if (values[name] !== null && values[name] !== undefined) delete conv.notStored?.[name];
  }
  settle(ctx);
}

/** The earliest webhook time after the last read and no later than this one: a change seen now was made then. */
function firstProcoreNews(ctx: RulesContext, after: number, upTo: number): number | undefined {
  const times = ctx.procoreNews().filter((t) => t > after && t <= upTo);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** Salesforce answers a PATCH with no body: what was written is what it now holds. */
export function recordSalesforceWrite(ctx: RulesContext, values: CanonicalFields, body: RawFields): void {
  const { state, conv } = ctx;
  const view = conv.seen.salesforce;
  if (!view) return;
  const source = conv.seen.procore;
  for (const [name, value] of Object.entries(values)) {
    view.values[name] = value;
    view.changedAt[name] = source?.changedAt[name] ?? view.at;
    delete conv.readDated?.[name];
  }
  if (SALESFORCE_LINK_FIELD in body) state.link.writtenToSalesforce = true;
  state.stats.writes.salesforce++;
  settle(ctx);
}

/**
 * Procore answers a write with the project. A field written with a value that comes back null was not kept: it is
 * remembered as not stored (see `ConvergenceState.notStored`) and returned, for the sync to surface.
 */
export function recordProcoreWrite(
  ctx: RulesContext,
  project: ProcoreProjectRecord,
  written: CanonicalFields,
  readUpdatedAt?: number,
): string[] {
  const { state, conv } = ctx;
  const held = translateLeniently(ctx.mapping, 'procore', project.fields).values;
  const dropped = Object.keys(written).filter((name) => written[name] !== null && held[name] === null);
  observeProcore(ctx, project, readUpdatedAt !== undefined ? { written, readUpdatedAt } : undefined);
  for (const name of dropped) conv.notStored = { ...conv.notStored, [name]: written[name] };
  state.stats.writes.procore++;
  if (dropped.length > 0) settle(ctx);
  return dropped;
}

function carriesValue(mapping: ProjectMapping, change: SalesforceChange, name: string, value: unknown): boolean {
  try {
    const carried = fromSalesforce(mapping, change.fields);
    return name in carried && sameValue(carried[name], value as CanonicalFields[string]);
  } catch {
    return false;
  }
}
