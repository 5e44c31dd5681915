/**
 * Claims: a person's Salesforce edit that one of Tandem's conditional writes overwrote unseen. Salesforce's
 * If-Unmodified-Since has whole seconds, so an edit committed in the very second the write's condition named passes
 * under it. Replay ids order the edit against the write's echo; an edit before the echo, in that second, with a value
 * Tandem did not know, was overwritten, and claims its field until both systems hold it or a later edit replaces it.
 * docs/sync-semantics.md, "Edits a write overwrote unseen", gives each rule its reason and the case that found it.
 */
import { flowsFrom } from '../../../mappings/project-mapping';
import type { CanonicalFields, CanonicalValue } from '../../../mappings/types';
import { resolveConflict, sameValue } from '../merge';
import type { SalesforceClaim, SalesforceEchoSeen, SalesforceWrite } from '../messages';
import { fieldNamed, type RulesContext } from './context';

/**
 * Whether an edit committed in this second may have passed the write's condition unseen: the second it named, or
 * any second from the date Tandem last knew in full up to it, when people's events had moved the condition on.
 */
function inConditionWindow(second: number, write: SalesforceWrite): boolean {
  if (second === write.unmodifiedSince) return true;
  return (
    write.knownSince !== undefined &&
    write.unmodifiedSince !== null &&
    second >= write.knownSince &&
    second <= write.unmodifiedSince
  );
}

/** A person's edit seen: a later edit of a claimed field ends the claim; the field's latest edit moves on. */
export function noteEdit(ctx: RulesContext, replayId: number, values: CanonicalFields): void {
  const { conv } = ctx;
  for (const name of Object.keys(values)) {
    const claim = conv.claims?.[name];
    if (claim && claim.replayId < replayId) endClaim(ctx, name, claim);
    conv.latestEdit = { ...conv.latestEdit, [name]: Math.max(conv.latestEdit?.[name] ?? 0, replayId) };
  }
}

/**
 * An edit committed before one of Tandem's writes (by replay id), in the second that write's If-Unmodified-Since
 * named, with a value Tandem did not know of: the write overwrote it unseen. It becomes a claim for its field.
 */
export function findOverwrittenEdits(ctx: RulesContext): void {
  const { conv } = ctx;
  for (const echo of conv.echoes ?? []) {
    for (const edit of conv.edits ?? []) {
      if (edit.replayId >= echo.replayId || !inConditionWindow(edit.second, echo)) continue;
      for (const [name, value] of Object.entries(edit.values)) {
        const overwriting = name in echo.values ? echo : nextWriteOf(ctx, name, echo);
        if (!overwriting) continue;
        if (sameValue(overwriting.values[name], value) || sameValue(overwriting.basis[name], value)) continue;
        // Kept for when the read value's event comes (`basisEventCame`).
        if (overwriting.basisFromRead?.includes(name)) continue;
        delete edit.values[name];
        if ((conv.latestEdit?.[name] ?? 0) > edit.replayId) continue;
        const later = [...conv.inFlight, ...(conv.echoes ?? []).filter((e) => e.replayId > overwriting.replayId)];
        const over = [overwriting.values[name], ...later.filter((w) => name in w.values).map((w) => w.values[name])];
        if (supersededInView(ctx, name, value, over)) continue;
        conv.claims = {
          ...conv.claims,
          [name]: { value, changedAt: edit.commitTimestamp, over, replayId: edit.replayId },
        };
      }
    }
  }
}

/**
 * The first of Tandem's echoed writes after `echo` that set the field: an edit in `echo`'s condition second that
 * `echo` left alone stood in Salesforce unknown to Tandem, which took the record as known from that echo on, so that
 * later write overwrote it unseen.
 */
function nextWriteOf(ctx: RulesContext, name: string, echo: SalesforceEchoSeen): SalesforceEchoSeen | undefined {
  const later = (ctx.conv.echoes ?? []).filter((e) => e.replayId > echo.replayId && name in e.values);
  return later.sort((a, b) => a.replayId - b.replayId)[0];
}

/**
 * A person's event carrying the value a write was based on, known till now only from a read: the edits in that
 * write's condition second can now be ordered against it, by replay id.
 */
export function basisEventCame(ctx: RulesContext, values: CanonicalFields): void {
  for (const write of [...(ctx.conv.echoes ?? []), ...ctx.conv.inFlight]) {
    const awaited = write.basisFromRead?.filter(
      (name) => !(name in values && sameValue(values[name], write.basis[name])),
    );
    if (!write.basisFromRead || awaited?.length === write.basisFromRead.length) continue;
    if (awaited && awaited.length > 0) write.basisFromRead = awaited;
    else delete write.basisFromRead;
  }
}

/**
 * Salesforce's field holds, as far as Tandem knows, neither the overwritten edit's value nor one Tandem wrote over
 * it: a later change, which a claim must not undo. (The same test `endClaimsReplacedIn` ends claims by.)
 */
function supersededInView(ctx: RulesContext, name: string, value: CanonicalValue, over: CanonicalValue[]): boolean {
  const seen = ctx.conv.seen.salesforce;
  if (!seen || !(name in seen.values)) return false;
  const now = seen.values[name];
  return !sameValue(now, value) && !over.some((v) => sameValue(now, v));
}

/**
 * A later Salesforce edit of the field ends its claim. Where Procore already holds the claim's value, Tandem put it
 * there on Salesforce's behalf: the value both systems held last becomes the agreed base, so that the later edit
 * is Salesforce's change against an unchanged Procore, not a conflict with Tandem's own copy.
 */
export function endClaim(ctx: RulesContext, name: string, claim: SalesforceClaim): void {
  delete ctx.conv.claims?.[name];
  const procore = ctx.conv.seen.procore;
  if (!procore || !sameValue(procore.values[name], claim.value)) return;
  ctx.state.snapshot[name] = claim.value;
  ctx.state.versions[name] = { side: 'salesforce', at: claim.changedAt };
}

/** Salesforce values newer than a claim, from an event or a read: each ends the claim on its field. */
export function endClaimsReplacedIn(ctx: RulesContext, values: CanonicalFields, complete: boolean): void {
  for (const [name, claim] of Object.entries(ctx.conv.claims ?? {})) {
    if (!complete && !(name in values)) continue;
    if (sameValue(values[name], claim.value) || (complete && claim.over.some((v) => sameValue(values[name], v))))
      continue;
    endClaim(ctx, name, claim);
  }
}

/** Whether a claim stands against what Procore holds now, under the field's policy. */
export function claimWins(ctx: RulesContext, name: string, claim: SalesforceClaim): boolean {
  const field = fieldNamed(ctx, name);
  const procore = ctx.conv.seen.procore;
  if (!field || !procore || !flowsFrom(field, 'salesforce')) return false;
  if (sameValue(procore.values[name], claim.value)) return true;
  if (!flowsFrom(field, 'procore')) return true;
  const against = { value: procore.values[name], changedAt: procore.changedAt[name] ?? procore.at };
  const mine = { value: claim.value, changedAt: claim.changedAt };
  return resolveConflict(ctx.mapping, field, mine, against, ctx.settings).from === 'salesforce';
}

export function standingClaim(ctx: RulesContext, name: string): SalesforceClaim | undefined {
  const claim = ctx.conv.claims?.[name];
  return claim && claimWins(ctx, name, claim) ? claim : undefined;
}

/** A write about to be sent takes the place of the value each claim on its fields was written over. */
export function claimsWrittenOver(ctx: RulesContext, values: CanonicalFields): void {
  for (const [name, claim] of Object.entries(ctx.conv.claims ?? {})) if (name in values) claim.over.push(values[name]);
}
