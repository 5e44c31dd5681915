/**
 * The backfill: for each record of the plan, writes the link fields (Procore's origin_id first, so that the
 * ProjectSync the Salesforce write wakes finds the project rather than creating one), then hands the record to its
 * ProjectSync; a Procore-only project (`--create-in-salesforce`) is adopted as a project born in Procore, and its new
 * record handed to its ProjectSync. Batches of records run together under the API task queues' rate caps; a long run
 * continues as new with its cursor, so a crash resumes where it was. Progress is a query and the memo.
 */
import { continueAsNew, proxyActivities, setHandler, upsertMemo, workflowInfo } from '@temporalio/workflow';
import type { ProcoreActivities, ProcoreBackfillActivities } from '../../activities/procore/types';
import type { SalesforceBackfillActivities } from '../../activities/salesforce/types';
import { errors } from '../../common/errors';
import { procoreApiOptions, salesforceApiOptions } from '../activity-options';
import { parkReason } from '../failures';
import { adoptProcoreProject } from '../procore-router/adopt-procore-project';
import { TASK_QUEUES } from '../task-queues';
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
    if (batches >= BATCHES_PER_RUN || workflowInfo().continueAsNewSuggested)
      return continueAsNew<typeof backfill>({ ...input, cursor, progress });
    const batch = input.actions.slice(cursor, cursor + batchSize);
    await Promise.all(batch.map((action) => runAction(action, progress)));
    cursor += batch.length;
    progress.done = cursor;
    upsertMemo({ progress: `${progress.done}/${progress.total}` });
  }
  return progress;
}

async function runAction(action: BackfillAction, progress: BackfillProgress): Promise<void> {
  try {
    if (action.kind === 'create-in-salesforce') return await createInSalesforce(action, progress);
    if (action.procore) {
      const outcome = await procore.linkProcoreProject(action.procore);
      if (outcome === 'linked-elsewhere' || outcome === 'gone') return skip(progress);
    }
    if (action.salesforce) {
      const outcome = await salesforce.linkSalesforceRecord(action.salesforce);
      if (outcome === 'linked-elsewhere' || outcome === 'gone') return skip(progress);
    }
    await handoff.handToProjectSync(action.salesforceId, `backfill: ${action.kind}`);
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
