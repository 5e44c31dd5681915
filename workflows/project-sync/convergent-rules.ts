/**
 * The sync rules, one object per batch over a sync's state. Tandem keeps a view of each system, learned from full
 * reads and from its own writes, never from one side's clock compared with the other's (rules/views.ts); every field
 * is merged three ways against the agreed snapshot (merge.ts, rules/agreement.ts). Change events only say when to
 * read: the echo of any of Tandem's in-flight Salesforce writes is recognised and costs nothing (rules/echoes.ts), a
 * person's edit certainly newer than the view is applied without a read, anything else costs one read per side and
 * batch. A person's edit that a conditional write overwrote unseen claims its field (rules/claims.ts).
 * docs/sync-semantics.md is the specification.
 */
import { fromSalesforce, salesforceWinsEveryConflict, toProcore, toSalesforce } from '../../mappings/project-mapping';
import type { CanonicalFields, ProjectMapping, RawFields, Side } from '../../mappings/types';
import type { ProcoreProjectRecord } from '../../activities/procore/types';
import type { SalesforceProjectRecord } from '../../activities/salesforce/types';
import { SALESFORCE_LINK_FIELD } from '../../mappings/link-field';
import { DEFAULT_MERGE_SETTINGS, type MergeSettings } from './merge';
import type { ProjectSyncState, SalesforceChange, SideView } from './messages';
import { pendingFor, settle, targets } from './rules/agreement';
import { basisEventCame, findOverwrittenEdits, noteEdit } from './rules/claims';
import { convergenceOf, fieldNamed, remember, type RulesContext, secondOf } from './rules/context';
import { abandonSalesforceWrite, beginSalesforceWrite, takeSalesforceEcho } from './rules/echoes';
import * as views from './rules/views';

export class ConvergentRules {
  private readonly ctx: RulesContext;
  /** When Procore says the project changed (rules/context.ts): set by the batch from its webhooks. */
  procoreNews: () => number[] = () => [];

  constructor(state: ProjectSyncState, mapping: ProjectMapping, settings: MergeSettings = DEFAULT_MERGE_SETTINGS) {
    this.ctx = {
      state,
      conv: convergenceOf(state),
      mapping,
      settings,
      procoreNews: () => this.procoreNews(),
    };
  }

  seen(side: Side): SideView | null {
    return this.ctx.conv.seen[side];
  }

  showsProcore(project: ProcoreProjectRecord): boolean {
    return views.showsProcore(this.ctx, project);
  }

  takeSalesforceEcho(change: SalesforceChange): boolean {
    return takeSalesforceEcho(this.ctx, change);
  }

  /** A person's Salesforce edit (the batch reads the record for it): kept to spot a same-second overwrite. */
  notePersonEdit(change: SalesforceChange): void {
    if (change.madeByTandem || typeof change.replayId !== 'number' || change.changeType !== 'UPDATE') return;
    let values: CanonicalFields;
    try {
      values = fromSalesforce(this.ctx.mapping, change.fields);
    } catch {
      return;
    }
    const { replayId, commitTimestamp } = change;
    noteEdit(this.ctx, replayId, values);
    this.ctx.conv.edits = remember(this.ctx.conv.edits, {
      replayId,
      second: secondOf(commitTimestamp),
      commitTimestamp,
      values,
    });
    basisEventCame(this.ctx, values);
    findOverwrittenEdits(this.ctx);
    views.dateByEvent(this.ctx, values, commitTimestamp);
  }

  noteProvisionalWins(forProcore: CanonicalFields): void {
    views.noteProvisionalWins(this.ctx, forProcore);
  }

  takeSalesforceEdit(change: SalesforceChange): boolean {
    return views.takeSalesforceEdit(this.ctx, change);
  }

  /** The Procore id a Salesforce record already carries (a migration), when Tandem has not linked one yet. */
  procoreIdInSalesforce(record: SalesforceProjectRecord): string | null {
    const value = record.fields[SALESFORCE_LINK_FIELD];
    return typeof value === 'string' && /^\d+$/.test(value) ? value : null;
  }

  /** Whether a Procore write needs its compare read: not when Salesforce wins every conflict the mapping can meet. */
  procoreWriteNeedsCompare(): boolean {
    return !salesforceWinsEveryConflict(this.ctx.mapping);
  }

  observeSalesforce(record: SalesforceProjectRecord, hints: SalesforceChange[]): void {
    views.observeSalesforce(this.ctx, record, hints);
  }

  observeProcore(project: ProcoreProjectRecord): void {
    views.observeProcore(this.ctx, project);
  }

  /** `startDate (Procore start_date)`, for each canonical field name given: for the error an operator reads. */
  describeProcoreFields(names: string[]): string {
    return names
      .map((name) => {
        const procore = fieldNamed(this.ctx, name)?.procore;
        return `${name} (Procore ${typeof procore === 'object' ? procore.write : String(procore)})`;
      })
      .join(', ');
  }

  /** A new project was created with these values: they are agreed, and the rest is merged as Procore filled it. */
  agreeOnCreated(values: CanonicalFields): void {
    for (const field of this.ctx.mapping.fields) this.ctx.state.snapshot[field.name] = values[field.name] ?? null;
  }

  targets(): CanonicalFields {
    return targets(this.ctx);
  }

  /** The newest time, by its own clock, at which `side` changed any of these fields: where a latency starts. */
  newestChangeOn(side: Side, values: CanonicalFields): number {
    const view = this.ctx.conv.seen[side];
    return Math.max(0, ...Object.keys(values).map((name) => view?.changedAt[name] ?? 0));
  }

  pendingFor(side: Side): CanonicalFields {
    return pendingFor(this.ctx, side);
  }

  needsSalesforceWrite(): boolean {
    const { state, conv } = this.ctx;
    if (state.deletedInSalesforce || !conv.seen.salesforce) return false;
    const { procoreProjectId, writtenToSalesforce } = state.link;
    return Object.keys(this.pendingFor('salesforce')).length > 0 || (procoreProjectId !== null && !writtenToSalesforce);
  }

  /** The Salesforce PATCH body: the values, plus the Procore id until Salesforce holds it. */
  salesforceBody(values: CanonicalFields): RawFields {
    const body = toSalesforce(this.ctx.mapping, values);
    const { procoreProjectId, writtenToSalesforce } = this.ctx.state.link;
    if (procoreProjectId && !writtenToSalesforce) body[SALESFORCE_LINK_FIELD] = procoreProjectId;
    return body;
  }

  procoreBody(values: CanonicalFields): RawFields {
    return toProcore(this.ctx.mapping, values);
  }

  /** What Tandem believes Procore holds in these fields: the write's precondition. */
  expectedOnProcore(values: CanonicalFields): CanonicalFields {
    const view = this.ctx.conv.seen.procore;
    return Object.fromEntries(Object.keys(values).map((name) => [name, view?.values[name] ?? null]));
  }

  /** If-Unmodified-Since for the next Salesforce write: the record's LastModifiedDate as Tandem last knew it. */
  salesforceUnmodifiedSince(): number | null {
    const at = this.ctx.conv.seen.salesforce?.at ?? 0;
    return at > 0 ? at : null;
  }

  beginSalesforceWrite(values: CanonicalFields): void {
    beginSalesforceWrite(this.ctx, values, this.salesforceUnmodifiedSince());
  }

  abandonSalesforceWrite(): void {
    abandonSalesforceWrite(this.ctx);
  }

  recordSalesforceWrite(values: CanonicalFields, body: RawFields): void {
    views.recordSalesforceWrite(this.ctx, values, body);
  }

  recordProcoreWrite(project: ProcoreProjectRecord, written: CanonicalFields = {}, readUpdatedAt?: number): string[] {
    return views.recordProcoreWrite(this.ctx, project, written, readUpdatedAt);
  }

  /** Fields both sides hold alike become the agreed snapshot (also after a change of mapping). */
  settle(): void {
    settle(this.ctx);
  }
}
