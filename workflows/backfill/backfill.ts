/**
 * The backfill: for each record of the plan, writes the link fields (Procore's origin_id first, so that the
 * ProjectSync the Salesforce write wakes finds the project rather than creating one), then hands the record to its
 * ProjectSync; a Procore-only project (`--create-in-salesforce`) is adopted as a project born in Procore, and its new
 * record handed to its ProjectSync. Batches of records run together under the API task queues' rate caps; a long run
 * continues as new with its cursor, so a crash resumes where it was. Progress is a query and the memo.
 * A batch's Procore links are read and written together (two Procore calls a batch, not two a pair), and each
 * ProjectSync gets its project as that write left it, so it need not read it again.
 */
import { log, proxyActivities, setHandler, upsertMemo, workflowInfo } from '@temporalio/workflow';
import type {
  BulkLinkItem,
  BulkLinkResult,
  ProcoreActivities,
  ProcoreBackfillActivities,
  ProcoreLinkWrite,
} from '../../activities/procore/types';
import type { SalesforceBackfillActivities } from '../../activities/salesforce/types';
import { errors } from '../../common/errors';
import { procoreApiOptions, salesforceApiOptions } from '../activity-options';
import { parkReason } from '../failures';
import { adoptProcoreProject } from '../procore-router/adopt-procore-project';
import { TASK_QUEUES } from '../task-queues';
import { continueAsNewOnTarget, targetVersionMoved } from '../versioning';
import {
  backfillProgressQuery,
  type BackfillAction,
  type BackfillHandoffActivities,
  type BackfillInput,
  type BackfillProgress,
  type CreateInSalesforceAction,
} from './messages';

const procore = proxyActivities<ProcoreBackfillActivities>(procoreApiOptions);
const procoreRead = proxyActivities<Pick<ProcoreActivities, 'readProcoreProject'>>(procoreApiOptions);
const salesforce = proxyActivities<SalesforceBackfillActivities>(salesforceApiOptions);
const handoff = proxyActivities<BackfillHandoffActivities>({
  ...salesforceApiOptions,
  taskQueue: TASK_QUEUES.sync,
});

const DEFAULT_BATCH = 25;
const BATCHES_PER_RUN = 40;
const MAX_FAILURES_KEPT = 50;

function startingProgress(input: BackfillInput): BackfillProgress {
  return (
    input.progress ?? {
      total: input.actions.length,
      done: 0,
      linked: 0,
      handedForCreation: 0,
      skipped: 0,
      failed: 0,
      failures: [],
    }
  );
}

export async function backfill(input: BackfillInput): Promise<BackfillProgress> {
  const progress = startingProgress(input);
  setHandler(backfillProgressQuery, () => progress);
  const batchSize = input.batchSize ?? DEFAULT_BATCH;
  let cursor = input.cursor ?? 0;
  for (let batches = 0; cursor < input.actions.length; batches++) {
    if (batches >= BATCHES_PER_RUN || workflowInfo().continueAsNewSuggested || targetVersionMoved())
      return continueAsNewOnTarget<typeof backfill>({ ...input, cursor, progress });
    const batch = input.actions.slice(cursor, cursor + batchSize);
    const linked = await linkInBulk(batch);
    await Promise.all(batch.map((action) => runAction(action, progress, linked.get(action))));
    cursor += batch.length;
    progress.done = cursor;
    upsertMemo({ progress: `${progress.done}/${progress.total}` });
  }
  return progress;
}

/**
 * The Procore side of the batch's pairs at once. A failure of the batch call fails no pair: each then links alone.
 */
async function linkInBulk(batch: BackfillAction[]): Promise<Map<BackfillAction, BulkLinkResult>> {
  const pairs = batch.flatMap((action) => {
    if (action.kind !== 'link') return [];
    const procoreId = action.procore?.procoreId ?? action.salesforce?.procoreId;
    const item: BulkLinkItem | undefined = procoreId
      ? { salesforceId: action.salesforceId, procoreId, ...(action.procore && { write: action.procore }) }
      : undefined;
    return item ? [{ action, item }] : [];
  });
  if (pairs.length === 0) return new Map();
  try {
    const results = await procore.linkProcoreProjects(pairs.map((pair) => pair.item));
    return new Map(pairs.map((pair, i) => [pair.action, results[i]]));
  } catch (err) {
    log.warn('Linking the batch at once failed; each pair is linked alone', { error: String(err) });
    return new Map();
  }
}

/** The outcome of the pair's Procore link: the batch's, or the per-project write's where the batch left it. */
async function procoreLink(write: ProcoreLinkWrite, bulk: BulkLinkResult | undefined) {
  if (!bulk) return procore.linkProcoreProject(write);
  if (bulk.outcome !== 'one-by-one' && bulk.outcome !== 'unlinked') return bulk.outcome;
  log.warn('Procore refused the link in the batch upsert; linking the project alone', {
    procoreId: write.procoreId,
    salesforceId: write.salesforceId,
    error: bulk.error,
  });
  return procore.linkProcoreProject(write);
}

async function runAction(action: BackfillAction, progress: BackfillProgress, bulk?: BulkLinkResult): Promise<void> {
  try {
    if (action.kind === 'create-in-salesforce') return await createInSalesforce(action, progress);
    if (action.procore) {
      const outcome = await procoreLink(action.procore, bulk);
      if (outcome === 'linked-elsewhere' || outcome === 'gone') return skip(progress);
    }
    if (action.salesforce) {
      const outcome = await salesforce.linkSalesforceRecord(action.salesforce);
      if (outcome === 'linked-elsewhere' || outcome === 'gone') return skip(progress);
    }
    const reason = `backfill: ${action.kind}`;
    const project = bulk?.outcome === 'written' || bulk?.outcome === 'already' ? bulk.project : undefined;
    if (project) await handoff.handToProjectSync(action.salesforceId, reason, project);
    else await handoff.handToProjectSync(action.salesforceId, reason);
    if (action.kind === 'link') progress.linked++;
    else progress.handedForCreation++;
  } catch (err) {
    progress.failed++;
    if (progress.failures.length >= MAX_FAILURES_KEPT) return;
    if (action.kind === 'create-in-salesforce')
      progress.failures.push({ salesforceId: '', procoreId: action.procoreId, reason: String(err) });
    else progress.failures.push({ salesforceId: action.salesforceId, reason: String(err) });
  }
}

/** Skipped when the project was linked since the plan was made (a webhook adopted it, or a person linked it). */
async function createInSalesforce(action: CreateInSalesforceAction, progress: BackfillProgress): Promise<void> {
  let project;
  try {
    project = await procoreRead.readProcoreProject(action.procoreId);
  } catch (err) {
    if (parkReason(err)?.code === errors.PROCORE_PROJECT_NOT_FOUND.code) return skip(progress);
    throw err;
  }
  if (project.originId) return skip(progress);
  const adoption = await adoptProcoreProject(project);
  if (adoption.outcome !== 'adopted') return skip(progress);
  await handoff.handToProjectSync(adoption.salesforceId, 'backfill: create-in-salesforce');
  progress.createdInSalesforce = (progress.createdInSalesforce ?? 0) + 1;
}

function skip(progress: BackfillProgress): void {
  progress.skipped++;
}
