/**
 * One batch under the convergent rules: decide from the batch's events which sides must be read, read them, make
 * sure the Procore project exists, then write until both sides hold the merged values. Written against `SyncIo`
 * rather than the activities, so the model checker (test/sync/convergence.property.test.ts) runs this very code
 * against simulated systems.
 */
import type {
  FoundOrCreatedProject,
  LinkOutcome,
  ProcoreProjectRecord,
  ProcoreWriteResult,
} from '../../activities/procore/types';
import type { SalesforceProjectRecord, SalesforceWriteOutcome } from '../../activities/salesforce/types';
import type { CanonicalFields, RawFields } from '../../mappings/types';
import { errors } from '../../common/errors';
import { type ConvergentRules } from './convergent-rules';
import type { ProcoreChange, QueuedChange, SalesforceChange } from './messages';
import type { ProjectSyncModel } from './model';

export type { ProcoreWriteResult, SalesforceWriteOutcome };

/** The side effects a batch needs; the workflow maps them onto activities, the model checker onto simulations. */
export interface SyncIo {
  readSalesforce(salesforceId: string): Promise<SalesforceProjectRecord>;
  readProcore(procoreProjectId: string): Promise<ProcoreProjectRecord>;
  /** PATCH with If-Unmodified-Since (when known); 412 comes back as `modified`. */
  writeSalesforce(
    salesforceId: string,
    fields: RawFields,
    unmodifiedSince: number | null,
  ): Promise<SalesforceWriteOutcome>;
  /** Reads the project and writes only if each field still holds the expected value (or already the target). */
  writeProcore(
    procoreProjectId: string,
    expected: CanonicalFields,
    target: CanonicalFields,
  ): Promise<ProcoreWriteResult>;
  /** Writes the target without the compare read, when the mapping makes Salesforce win every conflict. */
  overwriteProcore(procoreProjectId: string, target: CanonicalFields): Promise<ProcoreWriteResult>;
  findOrCreateProcore(originId: string, body: RawFields): Promise<FoundOrCreatedProject>;
  /** Writes the record's id into a project's empty origin_id (never over another record's), if it is still as read. */
  writeProcoreOrigin(procoreProjectId: string, salesforceId: string, readUpdatedAt: number): Promise<LinkOutcome>;
  /** Tells the Procore project's router which record it belongs to. */
  linked(procoreProjectId: string, salesforceId: string): Promise<void>;
}

/** What a batch reports as it goes: metrics and logs in the workflow, nothing in the checker. */
export interface SyncReport {
  echo(): void;
  written(direction: 'salesforce_to_procore' | 'procore_to_salesforce', sourceAt: number): void;
  note(message: string, details: Record<string, unknown>): void;
}

/** Rounds of merge-and-write a batch makes when writes keep meeting concurrent edits, before it leaves the rest to a resync. */
const WRITE_ROUNDS = 4;

/**
 * What the batch read so far. A batch reads each side once (a record it links is read once, not again for the
 * batch's resync), and a sync that has not seen Procore yet takes the project the backfill handed over (read or
 * written just before its resync was sent) as that read. Procore events in the batch still read: they may be newer
 * than what was handed.
 */
interface BatchReads {
  salesforce?: SalesforceProjectRecord;
  procore: boolean;
  /** The newest project handed over with a resync, until it is used. */
  handed?: ProcoreProjectRecord;
}

export async function convergentBatch(
  model: ProjectSyncModel,
  rules: ConvergentRules,
  batch: QueuedChange[],
  io: SyncIo,
  report: SyncReport,
): Promise<void> {
  rules.procoreNews = () => procoreWebhookSeconds(model, batch);
  const needs = { salesforce: model.state.status === 'error', procore: model.state.status === 'error' };
  const hints: SalesforceChange[] = [];
  const reads: BatchReads = { procore: false };
  for (const item of batch) {
    if (item.kind === 'resync') {
      needs.salesforce = true;
      const handed = item.request.procore;
      if (handed && (!reads.handed || handed.updatedAt >= reads.handed.updatedAt)) reads.handed = handed;
      else if (!handed) needs.procore = true;
      continue;
    }
    if (item.kind === 'salesforce') noteSalesforceChange(rules, item.change, needs, hints, report);
    else noteProcoreChange(model, item.change, needs, report);
    model.remember(item.change.eventId);
  }
  const salesforceId = model.state.link.salesforceId;
  if (needs.salesforce || !rules.seen('salesforce')) reads.salesforce = await readSalesforce(model, rules, io, hints);
  // A handed project stands in for a read only where nothing else asks for one and the sync has seen none yet; a
  // sync that has already read that state (the echo of the backfill's Salesforce link came first) reads nothing.
  if (reads.handed && (needs.procore || rules.seen('procore'))) {
    needs.procore ||= !(rules.seen('procore') && rules.showsProcore(reads.handed));
    reads.handed = undefined;
  }
  await ensureProcoreProject(model, rules, io, report, reads);
  const procoreProjectId = model.state.link.procoreProjectId;
  if (procoreProjectId && procoreReadNeeded(rules, needs.procore, reads))
    rules.observeProcore(await procoreRead(procoreProjectId, io, reads));
  for (let round = 0; round < WRITE_ROUNDS; round++) {
    if (!(await writeRound(model, rules, io, report, salesforceId))) return;
  }
  report.note('Writes kept meeting concurrent edits; a resync will finish the merge', { salesforceId });
  model.enqueue({ kind: 'resync', request: { reason: 'concurrent edits during writes' } });
}

/** Linking the record this batch read the project after every event of the batch: reading again shows nothing new. */
function procoreReadNeeded(rules: ConvergentRules, needed: boolean, reads: BatchReads): boolean {
  if (reads.procore) return false;
  return reads.handed !== undefined || needed || !rules.seen('procore');
}

/** The handed project if it is the one linked, else a read. */
async function procoreRead(procoreProjectId: string, io: SyncIo, reads: BatchReads): Promise<ProcoreProjectRecord> {
  const handed = reads.handed;
  reads.handed = undefined;
  reads.procore = true;
  return handed?.id === procoreProjectId ? handed : io.readProcore(procoreProjectId);
}

function noteSalesforceChange(
  rules: ConvergentRules,
  change: SalesforceChange,
  needs: { salesforce: boolean },
  hints: SalesforceChange[],
  report: SyncReport,
): void {
  if (rules.takeSalesforceEcho(change)) return report.echo();
  if (!change.madeByTandem) {
    rules.notePersonEdit(change);
    // A person's edit newer than all Tandem knows of the record is its own proof: no read needed.
    if (rules.takeSalesforceEdit(change)) return;
    hints.push(change);
  }
  needs.salesforce = true;
}

function noteProcoreChange(
  model: ProjectSyncModel,
  change: ProcoreChange,
  needs: { procore: boolean },
  report: SyncReport,
): void {
  // Tandem's own write answered with the project, so its webhook says nothing new.
  if (change.madeByTandem) return report.echo();
  const linked = model.state.link.procoreProjectId;
  if (linked && linked !== change.procoreProjectId) {
    report.note('Procore event for a project other than the linked one; left alone', {
      linked,
      procoreProjectId: change.procoreProjectId,
    });
    return;
  }
  if (change.eventType === 'delete') {
    report.note('Procore project was deleted; the link is kept and the Salesforce record left as it is', {
      procoreProjectId: change.procoreProjectId,
    });
    return;
  }
  if (!linked) model.linkProcoreProject(change.procoreProjectId);
  needs.procore = true;
}

/**
 * The whole-second times of the people's webhooks for the linked Procore project in the batch and in the queue
 * behind it (signals that came while the batch ran): when Procore says the project changed. The sweep's stand-ins
 * carry the updated_at it listed, which is no later than the read's.
 */
function procoreWebhookSeconds(model: ProjectSyncModel, batch: QueuedChange[]): number[] {
  const linked = model.state.link.procoreProjectId;
  return [...batch, ...model.queue].flatMap((item) => {
    if (item.kind !== 'procore') return [];
    const { change } = item;
    if (change.madeByTandem || change.eventType === 'delete' || change.procoreProjectId !== linked) return [];
    const at = Date.parse(change.timestamp);
    // updated_at has whole seconds, webhook timestamps microseconds: one scale for both.
    return Number.isFinite(at) ? [Math.floor(at / 1000) * 1000] : [];
  });
}

async function readSalesforce(
  model: ProjectSyncModel,
  rules: ConvergentRules,
  io: SyncIo,
  hints: SalesforceChange[],
): Promise<SalesforceProjectRecord> {
  const record = await io.readSalesforce(model.state.link.salesforceId);
  rules.observeSalesforce(record, hints);
  return record;
}

/**
 * Links the record to a Procore project exactly once: the id Salesforce already carries (a migration), else the
 * project whose origin_id is the record's id, else a new one (the activity looks up before it creates). With
 * creation off only the first applies, and the record is left without a project.
 */
async function ensureProcoreProject(
  model: ProjectSyncModel,
  rules: ConvergentRules,
  io: SyncIo,
  report: SyncReport,
  reads: BatchReads,
): Promise<void> {
  const { link } = model.state;
  if (link.procoreProjectId || model.state.deletedInSalesforce) return;
  // The batch's own read, a moment ago, already tells the record's Procore_ID__c.
  const record = reads.salesforce ?? (await readSalesforce(model, rules, io, []));
  if (model.state.deletedInSalesforce) return;
  const adopted = rules.procoreIdInSalesforce(record);
  if (adopted) {
    model.linkProcoreProject(adopted);
    link.writtenToSalesforce = true;
    const project = await procoreRead(adopted, io, reads);
    rules.observeProcore(project);
    report.note('Adopted the Procore project Salesforce already names', { procoreProjectId: adopted });
    if (!project.originId) await writeOrigin(project, link.salesforceId, io, report);
    await io.linked(adopted, link.salesforceId);
    return;
  }
  if (!model.createsProcoreProjects) {
    model.leaveWithoutProcoreProject();
    report.note('No Procore project created: TANDEM_CREATE_IN_PROCORE is off', {});
    return;
  }
  const values = model.pendingCreateValuesFrom(rules.seen('salesforce')?.values ?? {});
  const { project, created } = await io.findOrCreateProcore(link.salesforceId, model.procoreCreateBodyFrom(values));
  reads.procore = true;
  model.linkProcoreProject(project.id);
  if (created) {
    rules.agreeOnCreated(values);
    report.written('salesforce_to_procore', record.lastModifiedAt);
    notStoredParks(rules, values, rules.recordProcoreWrite(project, values));
  } else rules.observeProcore(project);
  report.note(created ? 'Created the Procore project' : 'Linked the existing Procore project', {
    procoreProjectId: project.id,
  });
  await io.linked(project.id, link.salesforceId);
}

/**
 * Both records carry the link: an adopted project whose origin_id is empty gets the record's id. A project another
 * record claimed since the read is left to it (the log names it); one gone since is met by the next read.
 */
async function writeOrigin(
  project: ProcoreProjectRecord,
  salesforceId: string,
  io: SyncIo,
  report: SyncReport,
): Promise<void> {
  const outcome = await io.writeProcoreOrigin(project.id, salesforceId, project.updatedAt);
  report.note(ORIGIN_WRITE_NOTES[outcome], { procoreProjectId: project.id, outcome });
}

const ORIGIN_WRITE_NOTES: Record<LinkOutcome, string> = {
  written: "Wrote the record's id into the adopted Procore project's origin_id",
  already: "The adopted Procore project's origin_id already names the record",
  'linked-elsewhere': "The adopted Procore project's origin_id names another record; left as it is",
  gone: 'The adopted Procore project was gone before its origin_id was written',
};

/** One merge and the writes it calls for; returns whether another round is needed. */
async function writeRound(
  model: ProjectSyncModel,
  rules: ConvergentRules,
  io: SyncIo,
  report: SyncReport,
  salesforceId: string,
): Promise<boolean> {
  const procoreProjectId = model.state.link.procoreProjectId;
  const forProcore = rules.pendingFor('procore');
  if (procoreProjectId && Object.keys(forProcore).length > 0) {
    rules.noteProvisionalWins(forProcore);
    const result = await writeProcore(rules, io, procoreProjectId, forProcore);
    if (result.outcome === 'modified') {
      rules.observeProcore(result.project);
      return true;
    }
    report.written('salesforce_to_procore', rules.newestChangeOn('salesforce', forProcore));
    notStoredParks(rules, forProcore, rules.recordProcoreWrite(result.project, forProcore, result.readUpdatedAt));
  }
  if (!rules.needsSalesforceWrite()) return Object.keys(rules.pendingFor('procore')).length > 0;
  const forSalesforce = rules.pendingFor('salesforce');
  const body = rules.salesforceBody(forSalesforce);
  rules.beginSalesforceWrite(forSalesforce);
  const outcome = await io.writeSalesforce(salesforceId, body, rules.salesforceUnmodifiedSince());
  if (outcome === 'modified') {
    rules.abandonSalesforceWrite();
    await readSalesforce(model, rules, io, []);
    return true;
  }
  report.written('procore_to_salesforce', rules.newestChangeOn('procore', forSalesforce));
  rules.recordSalesforceWrite(forSalesforce, body);
  return rules.needsSalesforceWrite() || Object.keys(rules.pendingFor('procore')).length > 0;
}

function writeProcore(
  rules: ConvergentRules,
  io: SyncIo,
  procoreProjectId: string,
  target: CanonicalFields,
): Promise<ProcoreWriteResult> {
  // What the compare read could show, a Procore edit Tandem has not seen yet, would lose to this value anyway.
  if (!rules.procoreWriteNeedsCompare()) return io.overwriteProcore(procoreProjectId, target);
  return io.writeProcore(procoreProjectId, rules.expectedOnProcore(target), target);
}

/** A value Procore did not keep parks the sync, naming the field, rather than being believed written. */
function notStoredParks(rules: ConvergentRules, written: CanonicalFields, dropped: string[]): void {
  if (dropped.length === 0) return;
  const values = dropped.map((name) => JSON.stringify(written[name])).join(', ');
  throw errors.PROCORE_VALUE_NOT_STORED(rules.describeProcoreFields(dropped), values);
}
