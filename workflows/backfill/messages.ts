/** What the backfill workflow takes, reports and calls: plain JSON, and its one query. */
import { defineQuery } from '@temporalio/workflow';
import type { ProcoreLinkWrite, ProcoreProjectRecord } from '../../activities/procore/types';
import type { SalesforceLinkWrite } from '../../activities/salesforce/types';

/** One backfill runs at a time: a second `tandem backfill` finds the first and follows it. */
export const BACKFILL_WORKFLOW_ID = 'tandem-backfill';

/** One record's work: the link fields to write (Procore first), then a resync of its ProjectSync. */
export interface RecordAction {
  kind: 'link' | 'create-in-procore';
  salesforceId: string;
  procore?: ProcoreLinkWrite;
  salesforce?: SalesforceLinkWrite;
}

/** A Procore-only project (`--create-in-salesforce`): adopted as a project born in Procore, then synced. */
export interface CreateInSalesforceAction {
  kind: 'create-in-salesforce';
  procoreId: string;
}

export type BackfillAction = RecordAction | CreateInSalesforceAction;

export interface BackfillFailure {
  /** Empty for a Procore-only project whose record could not be made. */
  salesforceId: string;
  procoreId?: string;
  reason: string;
}

export interface BackfillProgress {
  total: number;
  done: number;
  linked: number;
  handedForCreation: number;
  /** Salesforce records made for Procore-only projects (absent in runs started before this existed). */
  createdInSalesforce?: number;
  /** Records the plan saw free that another link took meanwhile: left alone. */
  skipped: number;
  failed: number;
  /** The first failures, for the report (capped). */
  failures: BackfillFailure[];
}

export interface BackfillInput {
  actions: BackfillAction[];
  /** Records a batch handles at once; the rate caps of the API task queues pace them. */
  batchSize?: number;
  /** Carried across continue-as-new: where the next batch starts and what was done so far. */
  cursor?: number;
  progress?: BackfillProgress;
}

export const backfillProgressQuery = defineQuery<BackfillProgress>('backfillProgress');

/**
 * Hands a record to its ProjectSync (signal-with-start of a resync), on the sync task queue, with its Procore
 * project as the backfill's link read or wrote it, when it has it.
 */
export interface BackfillHandoffActivities {
  handToProjectSync(salesforceId: string, reason: string, procore?: ProcoreProjectRecord): Promise<void>;
}
