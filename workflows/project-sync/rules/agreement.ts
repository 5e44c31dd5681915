/**
 * Agreement: per field, the value both systems should hold (the target), what each still lacks, and the agreed
 * snapshot that fields both hold alike become. The three-way merge of one field is merge.ts; what overrides it (a
 * claim, a `latest` conflict decided again, a value Procore did not store, a value that cannot be translated) is
 * decided here, in that order.
 */
import type { CanonicalFields, CanonicalValue, Side } from '../../../mappings/types';
import { mergeField, sameValue } from '../merge';
import { claimWins, standingClaim } from './claims';
import type { RulesContext } from './context';

export function isBlocked(ctx: RulesContext, name: string): boolean {
  return ctx.conv.blocked?.[name] !== undefined;
}

/** A conflict decided again for Procore's value: the target of both sides until both hold it. */
function reversedWin(ctx: RulesContext, name: string): { value: CanonicalValue } | undefined {
  const win = ctx.conv.provisional?.[name];
  return win?.reversed ? { value: win.procoreValue } : undefined;
}

/** A field Procore did not keep: Salesforce's value stays the target, whatever Procore's null says. */
function notStoredTarget(ctx: RulesContext, name: string): { value: CanonicalValue } | undefined {
  if (!ctx.conv.notStored || !(name in ctx.conv.notStored)) return undefined;
  const { salesforce, procore } = ctx.conv.seen;
  if (!salesforce || !(name in salesforce.values) || (procore && procore.values[name] !== null)) return undefined;
  return { value: salesforce.values[name] };
}

/** Per field, the value both sides should hold. */
export function targets(ctx: RulesContext): CanonicalFields {
  const { salesforce, procore } = ctx.conv.seen;
  const seenValue = (view: typeof salesforce, name: string) =>
    view && name in view.values ? { value: view.values[name], changedAt: view.changedAt[name] ?? view.at } : undefined;
  const out: CanonicalFields = {};
  for (const field of ctx.mapping.fields) {
    const name = field.name;
    // A field holding a value the mapping cannot translate is left as each side has it.
    if (isBlocked(ctx, name)) continue;
    const overridden = standingClaim(ctx, name) ?? reversedWin(ctx, name) ?? notStoredTarget(ctx, name);
    if (overridden) {
      out[name] = overridden.value;
      continue;
    }
    const decided = mergeField(
      ctx.mapping,
      field,
      {
        salesforce: seenValue(salesforce, name),
        procore: seenValue(procore, name),
        agreed: name in ctx.state.snapshot ? { value: ctx.state.snapshot[name] } : undefined,
      },
      ctx.settings,
    );
    if (decided) out[name] = decided.value;
  }
  return out;
}

/** Target values the given side does not hold yet. */
export function pendingFor(ctx: RulesContext, side: Side): CanonicalFields {
  if (side === 'salesforce' && ctx.state.deletedInSalesforce) return {};
  if (side === 'procore' && !ctx.state.link.procoreProjectId) return {};
  const view = ctx.conv.seen[side];
  if (!view) return {};
  const pending: CanonicalFields = {};
  for (const [name, value] of Object.entries(targets(ctx))) {
    if (!sameValue(view.values[name], value)) pending[name] = value;
  }
  return pending;
}

/** Fields both sides hold alike become the agreed snapshot; claims and decided-again conflicts that are over end. */
export function settle(ctx: RulesContext): void {
  const { state, conv } = ctx;
  const { salesforce, procore } = conv.seen;
  if (!salesforce || !procore || !state.link.procoreProjectId) return;
  for (const [name, claim] of Object.entries(conv.claims ?? {})) {
    const done = sameValue(salesforce.values[name], claim.value) && sameValue(procore.values[name], claim.value);
    if (done || !claimWins(ctx, name, claim)) delete conv.claims?.[name];
  }
  for (const [name, win] of Object.entries(conv.provisional ?? {})) {
    const known = (v: CanonicalValue | undefined) => sameValue(v, win.value) || sameValue(v, win.procoreValue);
    const done = win.reversed && [salesforce, procore].every((s) => sameValue(s.values[name], win.procoreValue));
    // A value neither of the two is a later edit: the conflict is over.
    if (done || !known(salesforce.values[name]) || !known(procore.values[name])) delete conv.provisional?.[name];
  }
  for (const field of ctx.mapping.fields) {
    const name = field.name;
    if (conv.claims?.[name] || isBlocked(ctx, name) || conv.provisional?.[name]?.reversed) continue;
    if (!(name in salesforce.values) || !(name in procore.values)) continue;
    if (!sameValue(salesforce.values[name], procore.values[name])) continue;
    if (name in state.snapshot && sameValue(state.snapshot[name], salesforce.values[name])) continue;
    state.snapshot[name] = salesforce.values[name];
    const sfAt = salesforce.changedAt[name] ?? 0;
    const pcAt = procore.changedAt[name] ?? 0;
    state.versions[name] = sfAt >= pcAt ? { side: 'salesforce', at: sfAt } : { side: 'procore', at: pcAt };
  }
}
