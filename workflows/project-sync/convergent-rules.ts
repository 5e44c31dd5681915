/**
 * The convergent sync rules (patch `convergent-sync`). Tandem keeps a view of each system, learned from full reads
 * and from its own writes, never from one side's clock compared with the other's; every field is merged three
 * ways against the agreed snapshot (merge.ts). Change events only say when to read: the echo of any of Tandem's
 * in-flight Salesforce writes is recognised and costs nothing, anything else costs one read per side and batch.
 */
import { fromProcore, fromSalesforce, toProcore, toSalesforce } from '../../mappings/project-mapping';
import type { CanonicalFields, CanonicalValue, ProjectMapping, RawFields, Side } from '../../mappings/types';
import type { ProcoreProjectRecord } from '../../activities/procore/types';
import type { SalesforceProjectRecord } from '../../activities/salesforce/types';
import {
  conflictPolicyOf,
  flowsFrom,
  salesforceWinsEveryConflict,
  translateLeniently,
} from '../../mappings/project-mapping';
import { DEFAULT_MERGE_SETTINGS, mergeField, type MergeSettings, resolveConflict, sameValue } from './merge';
import type {
  ConvergenceState,
  ProjectSyncState,
  SalesforceChange,
  SalesforceClaim,
  SalesforceEchoSeen,
  SalesforceWrite,
  SideView,
} from './messages';
import { SALESFORCE_LINK_FIELD } from '../../mappings/link-field';

/** More unechoed writes than this means echoes are being lost; the oldest are forgotten (costing a read each). */
const IN_FLIGHT_LIMIT = 20;
/** People's edits and echoes remembered to spot a same-second overwrite; such pairs arrive close together. */
const RECENT_LIMIT = 50;

const SECOND = 1000;

export function convergenceOf(state: ProjectSyncState): ConvergenceState {
  state.convergence ??= { seen: { salesforce: null, procore: null }, inFlight: [] };
  return state.convergence;
}

export class ConvergentRules {
  private readonly conv: ConvergenceState;
  /**
   * Patch `dated-by-news`: read-dated Salesforce values are dated again by their events, and Procore's changes by
   * the read before Tandem's own write. Off for histories recorded before it.
   */
  datesByNews = false;
  /**
   * Patch `procore-dated-by-webhooks`: the times (whole seconds, Procore's clock) of the people's Procore webhooks
   * Tandem holds for the linked project, in this batch and queued behind it. Procore's webhooks say when a project
   * changed, not which field: a field first read after later changes of other fields is dated by the earliest of
   * them since the last read, not by the later updated_at. Empty for histories recorded before it.
   */
  procoreNews: () => number[] = () => [];
  /**
   * Patch `salesforce-event-dates-write`: a person's change event applied without a read moves the date the next
   * write is conditional on, so that the write after it is not refused for an edit Tandem already knows.
   */
  eventsDateWrites = false;
  /**
   * Patch `claims-yield-to-later-values`: an edit found overwritten by Tandem's write makes no claim when Tandem
   * already knows a later value of that field in Salesforce (read or taken from an event): the person's later edit
   * stands. Found by the model checker (seed 1696027701: a late event revived an older name over a newer one).
   */
  claimsYieldToLaterValues = false;
  /**
   * Patch `ended-claims-agree`: a claim that a later Salesforce value ends, once Tandem has carried the claim's value
   * to Procore, makes that value the field's agreed base (`endClaim`). Found by the model checker (seed -794849949:
   * an edit overwritten unseen, carried to Procore as a claim, then revived over the person's later edit, because
   * Procore's copy was dated by Tandem's write and won `latest`).
   */
  endedClaimsAgree = false;
  /**
   * Patch `overtaken-echoes`: the echo of a newer write also stands for the older writes in flight, but those are
   * kept aside and recognised by their own echoes when they come, so that an edit one of them overwrote unseen still
   * claims its field. Found by the model checker (seed 595873009: the older write's echo came after the newer one's,
   * matched nothing, and the Salesforce edit it had overwritten was lost to a later Procore edit).
   */
  overtakenEchoes = false;
  /**
   * Patch `claims-wait-for-read-values`: an edit in a write's condition second whose field the write based on a value
   * Tandem had only read makes no claim until that value's change event comes; by replay id it then tells whether
   * the edit came before the read value (replaced by a person: no claim) or after it (overwritten by the write).
   * Found by the model checker (seed -1888214571: a late event revived s7 over p12 although s9 had replaced it).
   */
  claimsWaitForReadValues = false;
  /**
   * Patch `unwritten-fields-claim`: an edit in a write's condition second of a field that write left alone is found
   * overwritten by the next write of that field (`nextWriteOf`). Found by the model checker (seed 1138031324: s1 passed
   * under a write of other fields, the echo made Tandem take its stale city as known, and Procore's p6 replaced s1).
   */
  unwrittenFieldsClaim = false;

  constructor(
    private readonly state: ProjectSyncState,
    private readonly mapping: ProjectMapping,
    private readonly settings: MergeSettings = DEFAULT_MERGE_SETTINGS,
    /** Patch `field-blocks-alone`: an untranslatable value blocks its field only, instead of failing the read. */
    private readonly blockUntranslatable = false,
  ) {
    this.conv = convergenceOf(state);
  }

  /** A full read of one side as canonical values; with `blockUntranslatable`, each failing field is blocked alone. */
  private translate(side: Side, raw: RawFields): CanonicalFields {
    if (!this.blockUntranslatable)
      return side === 'salesforce' ? fromSalesforce(this.mapping, raw) : fromProcore(this.mapping, raw);
    const { values, untranslatable } = translateLeniently(this.mapping, side, raw);
    const kept = Object.entries(this.conv.blocked ?? {}).filter(([, blocked]) => blocked.side !== side);
    const found = Object.entries(untranslatable).map(([name, reason]) => [name, { side, reason }] as const);
    if (kept.length + found.length === 0) delete this.conv.blocked;
    else this.conv.blocked = Object.fromEntries([...kept, ...found]);
    return values;
  }

  private isBlocked(name: string): boolean {
    return this.conv.blocked?.[name] !== undefined;
  }

  seen(side: Side): SideView | null {
    return this.conv.seen[side];
  }

  /** Whether Tandem's view of Procore already holds this state of the project: as new, with the same values. */
  showsProcore(project: ProcoreProjectRecord): boolean {
    const seen = this.conv.seen.procore;
    if (!seen || seen.at < project.updatedAt) return false;
    const { values, untranslatable } = translateLeniently(this.mapping, 'procore', project.fields);
    if (Object.keys(untranslatable).length > 0) return false;
    return Object.entries(values).every(([name, value]) => sameValue(seen.values[name], value));
  }

  /**
   * Whether a Salesforce change is the echo of one of Tandem's writes not yet echoed: made by Tandem's client, and
   * every mapped value it carries is one that write set. The echo of the newest write also tells Salesforce's
   * LastModifiedDate after it, which the next conditional write is based on.
   */
  takeSalesforceEcho(change: SalesforceChange): boolean {
    if (!change.madeByTandem || change.changeType !== 'UPDATE') return false;
    const carried = fromSalesforce(this.mapping, change.fields);
    const matches = (written: SalesforceWrite) =>
      Object.entries(carried).every(
        ([name, value]) => name in written.values && sameValue(written.values[name], value),
      );
    // Newest first: of two writes with the same values, the later one's condition is the one that counts.
    let index = this.conv.inFlight.length - 1;
    while (index >= 0 && !matches(this.conv.inFlight[index])) index--;
    if (index < 0) return this.takeOvertakenEcho(change, matches);
    const newest = index === this.conv.inFlight.length - 1;
    const write = this.conv.inFlight[index];
    // Writes are made one after another, so an echo also stands for every older write.
    const older = this.conv.inFlight.splice(0, index + 1).slice(0, index);
    if (this.overtakenEchoes && older.length > 0)
      this.conv.overtaken = [...(this.conv.overtaken ?? []), ...older].slice(-IN_FLIGHT_LIMIT);
    const view = this.conv.seen.salesforce;
    if (newest && view) view.at = Math.max(view.at, secondOf(change.commitTimestamp));
    // The write passed its condition: from its echo on, the record is known again as of its commit.
    if (newest) delete this.conv.salesforceKnownAt;
    if (typeof change.replayId === 'number') {
      this.conv.echoes = remember(this.conv.echoes, { ...write, replayId: change.replayId });
      this.findOverwrittenEdits();
    }
    return true;
  }

  /**
   * The late echo of a write a newer echo already stood for: recognised (no read needed) and remembered with its own
   * replay id, so that an edit it overwrote unseen is found. Oldest match first, as they were written.
   */
  private takeOvertakenEcho(change: SalesforceChange, matches: (write: SalesforceWrite) => boolean): boolean {
    const overtaken = this.conv.overtaken ?? [];
    const index = overtaken.findIndex(matches);
    if (!this.overtakenEchoes || index < 0) return false;
    const [write] = overtaken.splice(index, 1);
    if (overtaken.length === 0) delete this.conv.overtaken;
    if (typeof change.replayId === 'number') {
      this.conv.echoes = remember(this.conv.echoes, { ...write, replayId: change.replayId });
      this.findOverwrittenEdits();
    }
    return true;
  }

  /** A person's Salesforce edit (the batch reads the record for it): kept to spot a same-second overwrite. */
  notePersonEdit(change: SalesforceChange): void {
    if (change.madeByTandem || typeof change.replayId !== 'number' || change.changeType !== 'UPDATE') return;
    let values: CanonicalFields;
    try {
      values = fromSalesforce(this.mapping, change.fields);
    } catch {
      return;
    }
    const edit = {
      replayId: change.replayId,
      second: secondOf(change.commitTimestamp),
      commitTimestamp: change.commitTimestamp,
      values,
    };
    // A later edit of a claimed field replaces the claim.
    for (const name of Object.keys(values)) {
      const claim = this.conv.claims?.[name];
      if (claim && claim.replayId < edit.replayId) this.endClaim(name, claim);
      this.conv.latestEdit = {
        ...this.conv.latestEdit,
        [name]: Math.max(this.conv.latestEdit?.[name] ?? 0, edit.replayId),
      };
    }
    this.conv.edits = remember(this.conv.edits, edit);
    if (this.claimsWaitForReadValues) this.basisEventCame(values);
    this.findOverwrittenEdits();
    if (this.datesByNews) this.dateByEvent(values, change.commitTimestamp);
  }

  /**
   * A person's change event for values Tandem had only read: their time is now the event's commit time, and a
   * `latest` conflict they won by the read's later date is decided again with it.
   */
  private dateByEvent(values: CanonicalFields, commitTimestamp: number): void {
    const view = this.conv.seen.salesforce;
    for (const [name, value] of Object.entries(values)) {
      const read = this.conv.readDated && name in this.conv.readDated ? this.conv.readDated[name] : undefined;
      if (read !== undefined && sameValue(read, value)) {
        delete this.conv.readDated?.[name];
        if (view && sameValue(view.values[name], value)) view.changedAt[name] = commitTimestamp;
      }
      const win = this.conv.provisional?.[name];
      if (!win || win.reversed || !sameValue(win.value, value)) continue;
      const field = this.mapping.fields.find((f) => f.name === name);
      const salesforce = { value, changedAt: commitTimestamp };
      const procore = { value: win.procoreValue, changedAt: win.procoreAt };
      if (field && resolveConflict(this.mapping, field, salesforce, procore, this.settings).from === 'procore')
        win.reversed = true;
      else delete this.conv.provisional?.[name];
    }
  }

  /**
   * Before Procore is written: each field where a read-dated Salesforce value beat Procore's own change under
   * `latest` is remembered, to be decided again when the value's event gives its time.
   */
  noteProvisionalWins(forProcore: CanonicalFields): void {
    const { salesforce, procore } = this.conv.seen;
    if (!this.datesByNews || !salesforce || !procore) return;
    for (const [name, value] of Object.entries(forProcore)) {
      const field = this.mapping.fields.find((f) => f.name === name);
      if (!field || field.direction !== 'both' || conflictPolicyOf(this.mapping, field) !== 'latest') continue;
      const read = this.conv.readDated && name in this.conv.readDated ? this.conv.readDated[name] : undefined;
      if (read === undefined || !sameValue(read, value) || !sameValue(salesforce.values[name], value)) continue;
      if (!(name in this.state.snapshot) || sameValue(procore.values[name], this.state.snapshot[name])) continue;
      const procoreAt = procore.changedAt[name] ?? procore.at;
      this.conv.provisional = {
        ...this.conv.provisional,
        [name]: { value, procoreValue: procore.values[name] ?? null, procoreAt },
      };
    }
  }

  /** A conflict decided again for Procore's value: the target of both sides until both hold it. */
  private reversedWin(name: string): { value: CanonicalValue } | undefined {
    const win = this.conv.provisional?.[name];
    return win?.reversed ? { value: win.procoreValue } : undefined;
  }

  /**
   * Applies a person's change event to Tandem's view of Salesforce without a read, when it is certainly newer than
   * everything the view holds: committed in a later second than the view's LastModifiedDate, and no write of
   * Tandem's is unaccounted for (one could have landed before or after it). Otherwise the record is read.
   */
  takeSalesforceEdit(change: SalesforceChange): boolean {
    const view = this.conv.seen.salesforce;
    if (!view || view.at <= 0 || this.state.deletedInSalesforce || change.changeType !== 'UPDATE') return false;
    if (typeof change.replayId !== 'number') return false;
    if (this.conv.inFlight.length > 0 || secondOf(change.commitTimestamp) <= view.at) return false;
    let carried: CanonicalFields;
    try {
      carried = fromSalesforce(this.mapping, change.fields);
    } catch {
      return false;
    }
    this.state.stats.eventsApplied++;
    for (const [name, value] of Object.entries(carried)) {
      // An older event arriving after a newer one about the same field says nothing new.
      if ((this.conv.latestEdit?.[name] ?? 0) > (change.replayId ?? 0)) continue;
      view.values[name] = value;
      view.changedAt[name] = change.commitTimestamp;
      delete this.conv.readDated?.[name];
    }
    // Before the patch, LastModifiedDate stays as last read: this event says nothing of other fields changed before
    // it. With it, the next write is conditional on the event's second, and the date known in full is kept so that an
    // edit in between whose event comes late is found overwritten (`findOverwrittenEdits`).
    if (this.eventsDateWrites) {
      this.conv.salesforceKnownAt ??= view.at;
      view.at = Math.max(view.at, secondOf(change.commitTimestamp));
    }
    for (const [name, claim] of Object.entries(this.conv.claims ?? {})) {
      if (name in carried && !sameValue(carried[name], claim.value)) this.endClaim(name, claim);
    }
    this.settle();
    return true;
  }

  /**
   * An edit committed before one of Tandem's writes (by replay id), in the second that write's If-Unmodified-Since
   * named, with a value Tandem did not know of: the write overwrote it unseen. It becomes a claim for its field.
   */
  private findOverwrittenEdits(): void {
    for (const echo of this.conv.echoes ?? []) {
      for (const edit of this.conv.edits ?? []) {
        if (edit.replayId >= echo.replayId || !inConditionWindow(edit.second, echo)) continue;
        for (const [name, value] of Object.entries(edit.values)) {
          const overwriting = name in echo.values ? echo : this.nextWriteOf(name, echo);
          if (!overwriting) continue;
          if (sameValue(overwriting.values[name], value) || sameValue(overwriting.basis[name], value)) continue;
          // Kept for when the read value's event comes (`basisEventCame`).
          if (overwriting.basisFromRead?.includes(name)) continue;
          delete edit.values[name];
          if ((this.conv.latestEdit?.[name] ?? 0) > edit.replayId) continue;
          const later = [
            ...this.conv.inFlight,
            ...(this.conv.echoes ?? []).filter((e) => e.replayId > overwriting.replayId),
          ];
          const over = [overwriting.values[name], ...later.filter((w) => name in w.values).map((w) => w.values[name])];
          if (this.claimsYieldToLaterValues && this.supersededInView(name, value, over)) continue;
          const claim = { value, changedAt: edit.commitTimestamp, over, replayId: edit.replayId };
          this.conv.claims = { ...this.conv.claims, [name]: claim };
        }
      }
    }
  }

  /**
   * The first of Tandem's echoed writes after `echo` that set the field (patch `unwritten-fields-claim`): an edit
   * in `echo`'s condition second that `echo` left alone stood in Salesforce unknown to Tandem, which took the record
   * as known from that echo on, so that later write overwrote it unseen.
   */
  private nextWriteOf(name: string, echo: SalesforceEchoSeen): SalesforceEchoSeen | undefined {
    if (!this.unwrittenFieldsClaim) return undefined;
    const later = (this.conv.echoes ?? []).filter((e) => e.replayId > echo.replayId && name in e.values);
    return later.sort((a, b) => a.replayId - b.replayId)[0];
  }

  /** A person's event carrying the value a write was based on, known till now only from a read. */
  private basisEventCame(values: CanonicalFields): void {
    for (const write of [...(this.conv.echoes ?? []), ...this.conv.inFlight]) {
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
   * it: a later change, which a claim must not undo. (The same test `observeSalesforce` drops claims by.)
   */
  private supersededInView(name: string, value: CanonicalValue, over: CanonicalValue[]): boolean {
    const seen = this.conv.seen.salesforce;
    if (!seen || !(name in seen.values)) return false;
    const now = seen.values[name];
    return !sameValue(now, value) && !over.some((v) => sameValue(now, v));
  }

  /**
   * A later Salesforce edit of the field ends its claim. Where Procore already holds the claim's value, Tandem put it
   * there on Salesforce's behalf: the value both systems held last becomes the agreed base, so that the later edit
   * is Salesforce's change against an unchanged Procore, not a conflict with Tandem's own copy.
   */
  private endClaim(name: string, claim: SalesforceClaim): void {
    delete this.conv.claims?.[name];
    const procore = this.conv.seen.procore;
    if (!this.endedClaimsAgree || !procore || !sameValue(procore.values[name], claim.value)) return;
    this.state.snapshot[name] = claim.value;
    this.state.versions[name] = { side: 'salesforce', at: claim.changedAt };
  }

  /** Whether a claim stands against what Procore holds now, under the field's policy. */
  private claimWins(name: string, claim: SalesforceClaim): boolean {
    const field = this.mapping.fields.find((f) => f.name === name);
    const procore = this.conv.seen.procore;
    if (!field || !procore || !flowsFrom(field, 'salesforce')) return false;
    if (sameValue(procore.values[name], claim.value)) return true;
    if (!flowsFrom(field, 'procore')) return true;
    const against = { value: procore.values[name], changedAt: procore.changedAt[name] ?? procore.at };
    return (
      resolveConflict(this.mapping, field, { value: claim.value, changedAt: claim.changedAt }, against, this.settings)
        .from === 'salesforce'
    );
  }

  private standingClaim(name: string): SalesforceClaim | undefined {
    const claim = this.conv.claims?.[name];
    return claim && this.claimWins(name, claim) ? claim : undefined;
  }

  /**
   * Takes a full Salesforce read as the truth about Salesforce. Change events of the batch that carry the value now
   * read give the exact time of that change; otherwise the record's LastModifiedDate bounds it.
   */
  observeSalesforce(record: SalesforceProjectRecord, hints: SalesforceChange[]): void {
    this.state.stats.eventsApplied++;
    const previous = this.conv.seen.salesforce;
    if (record.status !== 'live') {
      this.state.deletedInSalesforce = true;
      // A deleted record is an inactive project to Procore; its other values stay as last seen.
      const values = { ...(previous?.values ?? {}), active: false };
      this.conv.seen.salesforce = { values, at: previous?.at ?? 0, changedAt: { ...(previous?.changedAt ?? {}) } };
      return;
    }
    this.state.deletedInSalesforce = false;
    const values = this.translate('salesforce', record.fields);
    for (const field of this.mapping.fields)
      if (!(field.name in values) && !this.isBlocked(field.name)) values[field.name] = null;
    const changedAt: Record<string, number> = {};
    for (const [name, value] of Object.entries(values)) {
      if (previous && name in previous.values && sameValue(previous.values[name], value)) {
        changedAt[name] = previous.changedAt[name] ?? previous.at;
        continue;
      }
      const hint = hints.find((h) => h.fields && carriesValue(this.mapping, h, name, value));
      changedAt[name] = hint ? hint.commitTimestamp : record.lastModifiedAt;
      if (hint || !previous || !this.datesByNews || this.writtenInFlight(name, value))
        delete this.conv.readDated?.[name];
      else this.conv.readDated = { ...this.conv.readDated, [name]: value };
    }
    this.conv.seen.salesforce = { values, at: record.lastModifiedAt, changedAt };
    delete this.conv.salesforceKnownAt;
    // A value neither claimed nor written by Tandem is a later edit, which replaces the claim.
    for (const [name, claim] of Object.entries(this.conv.claims ?? {})) {
      if (!sameValue(values[name], claim.value) && !claim.over.some((v) => sameValue(values[name], v)))
        this.endClaim(name, claim);
    }
    const linkInSalesforce = record.fields[SALESFORCE_LINK_FIELD];
    const linked = this.state.link.procoreProjectId;
    if (linked) this.state.link.writtenToSalesforce = linkInSalesforce === linked;
    this.settle();
  }

  /** A value one of Tandem's unechoed writes set: no person's event will date it. */
  private writtenInFlight(name: string, value: CanonicalValue): boolean {
    return this.conv.inFlight.some((w) => name in w.values && sameValue(w.values[name], value));
  }

  /** The Procore id a Salesforce record already carries (a migration), when Tandem has not linked one yet. */
  procoreIdInSalesforce(record: SalesforceProjectRecord): string | null {
    const value = record.fields[SALESFORCE_LINK_FIELD];
    return typeof value === 'string' && /^\d+$/.test(value) ? value : null;
  }

  /** Whether a Procore write needs its compare read: not when Salesforce wins every conflict the mapping can meet. */
  procoreWriteNeedsCompare(): boolean {
    return !salesforceWinsEveryConflict(this.mapping);
  }

  /** A Procore project as read or as a write answered it: the truth about Procore. */
  observeProcore(project: ProcoreProjectRecord, before?: { written: CanonicalFields; readUpdatedAt: number }): void {
    this.state.stats.eventsApplied++;
    const previous = this.conv.seen.procore;
    const values = this.translate('procore', project.fields);
    const changedAt: Record<string, number> = {};
    for (const [name, value] of Object.entries(values)) {
      const unchanged = previous && name in previous.values && sameValue(previous.values[name], value);
      if (unchanged) {
        changedAt[name] = previous.changedAt[name] ?? previous.at;
        continue;
      }
      const written = before !== undefined && name in before.written;
      // Someone else's change the write's own read already showed: Tandem's PATCH moved updated_at, not it.
      const readAt = before && !written ? before.readUpdatedAt : project.updatedAt;
      const news = written || !previous ? undefined : this.firstProcoreNews(previous.at, readAt);
      changedAt[name] = news ?? readAt;
    }
    this.conv.seen.procore = { values, at: project.updatedAt, changedAt };
    for (const name of Object.keys(this.conv.notStored ?? {})) {
      if (values[name] !== null && values[name] !== undefined) delete this.conv.notStored?.[name];
    }
    this.settle();
  }

  /** The earliest webhook time after the last read and no later than this one: a change seen now was made then. */
  private firstProcoreNews(after: number, upTo: number): number | undefined {
    const times = this.procoreNews().filter((t) => t > after && t <= upTo);
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /** A field Procore did not keep: Salesforce's value stays the target, whatever Procore's null says. */
  private notStoredTarget(name: string): { value: CanonicalValue } | undefined {
    if (!this.conv.notStored || !(name in this.conv.notStored)) return undefined;
    const { salesforce, procore } = this.conv.seen;
    if (!salesforce || !(name in salesforce.values) || (procore && procore.values[name] !== null)) return undefined;
    return { value: salesforce.values[name] };
  }

  /** `startDate (Procore start_date)`, for each canonical field name given: for the error an operator reads. */
  describeProcoreFields(names: string[]): string {
    return names
      .map((name) => {
        const procore = this.mapping.fields.find((field) => field.name === name)?.procore;
        return `${name} (Procore ${typeof procore === 'object' ? procore.write : String(procore)})`;
      })
      .join(', ');
  }

  /** A new project was created with these values: they are agreed, and the rest is merged as Procore filled it. */
  agreeOnCreated(values: CanonicalFields): void {
    for (const field of this.mapping.fields) this.state.snapshot[field.name] = values[field.name] ?? null;
  }

  /** Per field, the value both sides should hold. */
  targets(): CanonicalFields {
    const { salesforce, procore } = this.conv.seen;
    const out: CanonicalFields = {};
    for (const field of this.mapping.fields) {
      // A field holding a value the mapping cannot translate is left as each side has it.
      if (this.isBlocked(field.name)) continue;
      const claim = this.standingClaim(field.name);
      if (claim) {
        out[field.name] = claim.value;
        continue;
      }
      const reversed = this.reversedWin(field.name);
      if (reversed) {
        out[field.name] = reversed.value;
        continue;
      }
      const kept = this.notStoredTarget(field.name);
      if (kept !== undefined) {
        out[field.name] = kept.value;
        continue;
      }
      const decided = mergeField(
        this.mapping,
        field,
        {
          salesforce:
            salesforce && field.name in salesforce.values
              ? { value: salesforce.values[field.name], changedAt: salesforce.changedAt[field.name] ?? salesforce.at }
              : undefined,
          procore:
            procore && field.name in procore.values
              ? { value: procore.values[field.name], changedAt: procore.changedAt[field.name] ?? procore.at }
              : undefined,
          agreed: field.name in this.state.snapshot ? { value: this.state.snapshot[field.name] } : undefined,
        },
        this.settings,
      );
      if (decided) out[field.name] = decided.value;
    }
    return out;
  }

  /** The newest time, by its own clock, at which `side` changed any of these fields: where a latency starts. */
  newestChangeOn(side: Side, values: CanonicalFields): number {
    const view = this.conv.seen[side];
    return Math.max(0, ...Object.keys(values).map((name) => view?.changedAt[name] ?? 0));
  }

  /** Target values the given side does not hold yet. */
  pendingFor(side: Side): CanonicalFields {
    if (side === 'salesforce' && this.state.deletedInSalesforce) return {};
    if (side === 'procore' && !this.state.link.procoreProjectId) return {};
    const view = this.conv.seen[side];
    if (!view) return {};
    const pending: CanonicalFields = {};
    for (const [name, value] of Object.entries(this.targets())) {
      if (!sameValue(view.values[name], value)) pending[name] = value;
    }
    return pending;
  }

  needsSalesforceWrite(): boolean {
    if (this.state.deletedInSalesforce || !this.conv.seen.salesforce) return false;
    const { procoreProjectId, writtenToSalesforce } = this.state.link;
    return Object.keys(this.pendingFor('salesforce')).length > 0 || (procoreProjectId !== null && !writtenToSalesforce);
  }

  salesforceBody(values: CanonicalFields): RawFields {
    const body = toSalesforce(this.mapping, values);
    const { procoreProjectId, writtenToSalesforce } = this.state.link;
    if (procoreProjectId && !writtenToSalesforce) body[SALESFORCE_LINK_FIELD] = procoreProjectId;
    return body;
  }

  procoreBody(values: CanonicalFields): RawFields {
    return toProcore(this.mapping, values);
  }

  /** What Tandem believes Procore holds in these fields: the write's precondition. */
  expectedOnProcore(values: CanonicalFields): CanonicalFields {
    const view = this.conv.seen.procore;
    return Object.fromEntries(Object.keys(values).map((name) => [name, view?.values[name] ?? null]));
  }

  /** If-Unmodified-Since for the next Salesforce write: the record's LastModifiedDate as Tandem last knew it. */
  salesforceUnmodifiedSince(): number | null {
    const at = this.conv.seen.salesforce?.at ?? 0;
    return at > 0 ? at : null;
  }

  /** Called before the write is sent, so that its echo is recognised even if it overtakes the answer. */
  beginSalesforceWrite(values: CanonicalFields): void {
    const view = this.conv.seen.salesforce;
    const basis = Object.fromEntries(Object.keys(values).map((name) => [name, view?.values[name] ?? null]));
    const unmodifiedSince = this.salesforceUnmodifiedSince();
    const knownSince = this.conv.salesforceKnownAt;
    const basisFromRead = this.claimsWaitForReadValues
      ? Object.keys(values).filter(
          (name) =>
            this.conv.readDated && name in this.conv.readDated && sameValue(this.conv.readDated[name], basis[name]),
        )
      : [];
    this.conv.inFlight.push({
      values: { ...values },
      unmodifiedSince,
      basis,
      ...(knownSince ? { knownSince } : {}),
      ...(basisFromRead.length > 0 ? { basisFromRead } : {}),
    });
    for (const [name, claim] of Object.entries(this.conv.claims ?? {}))
      if (name in values) claim.over.push(values[name]);
    if (this.conv.inFlight.length > IN_FLIGHT_LIMIT)
      this.conv.inFlight.splice(0, this.conv.inFlight.length - IN_FLIGHT_LIMIT);
  }

  /**
   * Salesforce refused the write (412). It is kept: if an earlier attempt of it landed and only its answer was lost
   * (the 412 then came from that attempt's own change), its echo still comes and must be recognised.
   */
  abandonSalesforceWrite(): void {
    const last = this.conv.inFlight[this.conv.inFlight.length - 1];
    if (last) last.refused = true;
  }

  /** Salesforce answers a PATCH with no body: what was written is what it now holds. */
  recordSalesforceWrite(values: CanonicalFields, body: RawFields): void {
    const view = this.conv.seen.salesforce;
    if (!view) return;
    const source = this.conv.seen.procore;
    for (const [name, value] of Object.entries(values)) {
      view.values[name] = value;
      view.changedAt[name] = source?.changedAt[name] ?? view.at;
      delete this.conv.readDated?.[name];
    }
    if (SALESFORCE_LINK_FIELD in body) this.state.link.writtenToSalesforce = true;
    this.state.stats.writes.salesforce++;
    this.settle();
  }

  /**
   * Procore answers a write with the project. A field written with a value that comes back null was not kept: it is
   * remembered as not stored (see `ConvergenceState.notStored`) and returned, for the sync to surface.
   */
  recordProcoreWrite(project: ProcoreProjectRecord, written: CanonicalFields = {}, readUpdatedAt?: number): string[] {
    const held = this.blockUntranslatable
      ? translateLeniently(this.mapping, 'procore', project.fields).values
      : fromProcore(this.mapping, project.fields);
    const dropped = Object.keys(written).filter((name) => written[name] !== null && held[name] === null);
    const before = this.datesByNews && readUpdatedAt !== undefined ? { written, readUpdatedAt } : undefined;
    this.observeProcore(project, before);
    for (const name of dropped) this.conv.notStored = { ...this.conv.notStored, [name]: written[name] };
    this.state.stats.writes.procore++;
    if (dropped.length > 0) this.settle();
    return dropped;
  }

  /** Fields both sides hold alike become the agreed snapshot. */
  private settle(): void {
    const { salesforce, procore } = this.conv.seen;
    if (!salesforce || !procore || !this.state.link.procoreProjectId) return;
    for (const [name, claim] of Object.entries(this.conv.claims ?? {})) {
      const done = sameValue(salesforce.values[name], claim.value) && sameValue(procore.values[name], claim.value);
      if (done || !this.claimWins(name, claim)) delete this.conv.claims?.[name];
    }
    for (const [name, win] of Object.entries(this.conv.provisional ?? {})) {
      const known = (v: CanonicalValue | undefined) => sameValue(v, win.value) || sameValue(v, win.procoreValue);
      const done = win.reversed && [salesforce, procore].every((s) => sameValue(s.values[name], win.procoreValue));
      // A value neither of the two is a later edit: the conflict is over.
      if (done || !known(salesforce.values[name]) || !known(procore.values[name])) delete this.conv.provisional?.[name];
    }
    for (const field of this.mapping.fields) {
      const name = field.name;
      if (this.conv.claims?.[name] || this.isBlocked(name)) continue;
      if (this.conv.provisional?.[name]?.reversed) continue;
      if (!(name in salesforce.values) || !(name in procore.values)) continue;
      if (!sameValue(salesforce.values[name], procore.values[name])) continue;
      if (name in this.state.snapshot && sameValue(this.state.snapshot[name], salesforce.values[name])) continue;
      this.state.snapshot[name] = salesforce.values[name];
      const sfAt = salesforce.changedAt[name] ?? 0;
      const pcAt = procore.changedAt[name] ?? 0;
      this.state.versions[name] = sfAt >= pcAt ? { side: 'salesforce', at: sfAt } : { side: 'procore', at: pcAt };
    }
  }
}

function secondOf(epochMs: number): number {
  return Math.floor(epochMs / SECOND) * SECOND;
}

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

function remember<T>(list: T[] | undefined, item: T): T[] {
  const next = [...(list ?? []), item];
  return next.length > RECENT_LIMIT ? next.slice(next.length - RECENT_LIMIT) : next;
}

function carriesValue(mapping: ProjectMapping, change: SalesforceChange, name: string, value: unknown): boolean {
  try {
    const carried = fromSalesforce(mapping, change.fields);
    return name in carried && sameValue(carried[name], value as CanonicalFields[string]);
  } catch {
    return false;
  }
}
