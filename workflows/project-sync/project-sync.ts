/**
 * ProjectSync: one long-lived workflow per Salesforce project. Handlers only dedupe and enqueue; the main loop
 * drains the queue, syncs each batch (a burst of edits becomes one write per side), and continues-as-new with its
 * state and queue when Temporal suggests it. The rules live in ProjectSyncModel; this file only orchestrates.
 */
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  proxyActivities,
  proxySinks,
  setHandler,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { toSalesforceId18 } from '../../common/salesforce-id';
import type { ProcoreActivities, ProcoreBackfillActivities } from '../../activities/procore/types';
import type { SalesforceActivities } from '../../activities/salesforce/types';
import type { ProjectMapping } from '../../mappings/types';
import {
  type ActivityRetryBudget,
  procoreApiOptions,
  procoreCreateOptions,
  salesforceApiOptions,
  withRetryBudget,
} from '../activity-options';
import { parkReason } from '../failures';
import { acceptVersionChecks, continueAsNewOnTarget, targetVersionMoved } from '../versioning';
import { linkKnown, procoreProjectRouter, procoreRouterWorkflowId } from '../procore-router/procore-router';
import { procoreProjectIdKey, salesforceIdKey, syncStatusKey } from '../search-attributes';
import type { SyncSinks } from '../sinks';
import {
  mappingChanged,
  procoreChanged,
  type ProjectSyncInput,
  type ProjectSyncSettings,
  type QueuedChange,
  resyncNow,
  resyncRequested,
  salesforceChanged,
  syncStateQuery,
} from './messages';
import { convergentBatch, type SyncIo, type SyncReport } from './convergent-batch';
import { ConvergentRules } from './convergent-rules';
import { DEFAULT_SETTINGS, initialState, ProjectSyncModel } from './model';
import { parkedAfter } from './healing';
import { isMappingChange, isProcoreChange, isResyncRequest, isSalesforceChange } from './validate';
import { adoptAskedMapping, MappingInForce } from './mapping-in-force';
import { BurstWindow } from './burst-window';
import { SWEEP_VIEW_MEMO_KEY, sweepViewInMemo, sweepViewOf } from './sweep-view';
import { endedLinkBatch, endLink, procoreProjectGone, visibleOrPark } from './link-end';

/** The system APIs within a retry budget; each run sets its own (module state is per workflow in Temporal's VM). */
function apiActivities(budget: ActivityRetryBudget) {
  return {
    salesforce: proxyActivities<SalesforceActivities>(withRetryBudget(salesforceApiOptions, budget)),
    procore: proxyActivities<ProcoreActivities>(withRetryBudget(procoreApiOptions, budget)),
    procoreCreate: proxyActivities<Pick<ProcoreActivities, 'findOrCreateProcoreProject'>>(
      withRetryBudget(procoreCreateOptions, budget),
    ),
    procoreLink: proxyActivities<Pick<ProcoreBackfillActivities, 'linkProcoreProject'>>(
      withRetryBudget(procoreApiOptions, budget),
    ),
  };
}
let { salesforce, procore, procoreCreate, procoreLink } = apiActivities(DEFAULT_SETTINGS);
const { syncMetrics } = proxySinks<SyncSinks>();

/** The convergent rules' side effects, as activities. */
const activityIo: SyncIo = {
  readSalesforce: async (salesforceId) => {
    const record = await salesforce.readSalesforceProject(salesforceId);
    return visibleOrPark(record);
  },
  readProcore: (procoreProjectId) => procore.readProcoreProject(procoreProjectId),
  writeSalesforce: (salesforceId, fields, unmodifiedSince) =>
    salesforce.updateSalesforceProjectIfUnmodified(salesforceId, fields, unmodifiedSince),
  writeProcore: (procoreProjectId, expected, target) =>
    procore.updateProcoreProjectIfUnchanged(procoreProjectId, expected, target),
  overwriteProcore: (procoreProjectId, target) => procore.overwriteProcoreProject(procoreProjectId, target),
  findOrCreateProcore: (originId, body) => procoreCreate.findOrCreateProcoreProject(originId, body),
  writeProcoreOrigin: (procoreId, salesforceId, readUpdatedAt) =>
    procoreLink.linkProcoreProject({ procoreId, salesforceId, expectedModifiedAt: readUpdatedAt, values: {} }),
  linked: (procoreProjectId, salesforceId) => tellRouterTheLink(procoreProjectId, salesforceId),
};

export async function projectSync(input: ProjectSyncInput): Promise<void> {
  const settings = { ...DEFAULT_SETTINGS, ...input.settings };
  ({ salesforce, procore, procoreCreate, procoreLink } = apiActivities(settings));
  // Whoever started it, the record is known by its 18-character id (it becomes Procore's origin_id).
  const salesforceId = toSalesforceId18(input.salesforceId) ?? input.salesforceId;
  const mappings = MappingInForce.at(input.mapping);
  const model = new ProjectSyncModel(
    input.carried?.state ?? initialState(salesforceId),
    input.carried?.queue ?? [],
    mappings.mapping,
    settings,
  );
  let completedBatches = 0;
  let syncing = false;
  const sweepView = { json: JSON.stringify(sweepViewInMemo(workflowInfo().memo) ?? null) };

  const burst = new BurstWindow(settings.coalesceWindowMs);
  const enqueueChange = (item: QueuedChange) => {
    if (!model.enqueue(item)) return syncMetrics.dropped('duplicate');
    burst.noteChange(item.kind !== 'resync' && item.change.madeByTandem, syncing);
  };
  const malformed = (signal: string, payload: unknown) => log.warn('Malformed signal dropped', { signal, payload });
  acceptVersionChecks();
  setHandler(salesforceChanged, (change) =>
    isSalesforceChange(change) ? enqueueChange({ kind: 'salesforce', change }) : malformed('salesforceChanged', change),
  );
  setHandler(procoreChanged, (change) =>
    isProcoreChange(change) ? enqueueChange({ kind: 'procore', change }) : malformed('procoreChanged', change),
  );
  setHandler(resyncRequested, (request) =>
    isResyncRequest(request) ? enqueueChange({ kind: 'resync', request }) : malformed('resyncRequested', request),
  );
  setHandler(syncStateQuery, () => ({ ...model.view(), mappingVersion: mappings.version }));
  setHandler(mappingChanged, (change) =>
    isMappingChange(change) ? mappings.ask(change.version) : malformed('mappingChanged', change),
  );
  setHandler(
    resyncNow,
    async (request) => {
      // The batch running now may have started before this request was queued: wait for the one after it.
      const target = completedBatches + (syncing ? 2 : 1);
      model.enqueue({ kind: 'resync', request });
      await condition(() => completedBatches >= target);
      return model.view();
    },
    {
      // A rejected update leaves no trace in history; a throwing handler would.
      validator: (request) => {
        if (!isResyncRequest(request)) throw new Error('resyncNow takes { reason: string }');
      },
    },
  );

  const searchAttributes = { published: '' };
  publishSearchAttributes(model, searchAttributes);
  publishSweepView(model, sweepView);
  const fetched = await mappings.fetchIfNew();
  if (fetched) model.useMapping(fetched.mapping);
  const historyFull = () =>
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= settings.continueAsNewAfterEvents;
  // A new target version (a ramp, a promotion, a rollback) is reached by continuing as new (workflows/versioning.ts).
  const canContinueAsNew = () => (historyFull() || targetVersionMoved()) && allHandlersFinished();
  const hasWork = () => model.queue.length > 0 || canContinueAsNew() || mappings.wasAsked;
  for (;;) {
    await waitForWorkOrRetry(model, hasWork);
    if (mappings.wasAsked) {
      await adoptAskedMapping(mappings, model);
      if (model.queue.length === 0 && !canContinueAsNew()) continue;
    }
    // Changes waiting when the target version moved are synced by the new build: the next run takes the queue there.
    if (model.queue.length === 0 || (targetVersionMoved() && allHandlersFinished())) break;
    // Tandem's own writes coming back (echoes) are not a burst to gather, and they write nothing.
    if (!echoesOnly(model.queue)) await burst.gather();
    syncing = true;
    await syncBatch(model, model.takeQueued(), settings, mappings.mapping);
    syncing = false;
    completedBatches++;
    publishSearchAttributes(model, searchAttributes);
    publishSweepView(model, sweepView);
    if (canContinueAsNew()) break;
    // Nothing to hold for a record left unlinked: its next change starts a run on the settings in force then.
    if (model.waitsForProcoreLink() && allHandlersFinished() && !mappings.wasAsked) return;
  }
  await continueAsNewOnTarget<typeof projectSync>({
    salesforceId: input.salesforceId,
    settings: input.settings,
    carried: { state: model.state, queue: model.queue },
    mapping: mappings.carried,
  });
}

const echoesOnly = (queue: QueuedChange[]) => queue.every((item) => item.kind !== 'resync' && item.change.madeByTandem);

/**
 * Waits for a change, a resync or continue-as-new; a parked sync also wakes when its retry is
 * due (a timer in history) and queues a resync, which re-reads both sides and writes what is still pending.
 */
async function waitForWorkOrRetry(model: ProjectSyncModel, hasWork: () => boolean): Promise<void> {
  const retryAt = model.state.parked?.nextRetryAt;
  if (retryAt === undefined) return void (await condition(hasWork));
  if (await condition(hasWork, Math.max(1, retryAt - Date.now()))) return;
  const { code, retries } = model.state.parked ?? {};
  log.info('Parked sync trying again', {
    salesforceId: model.state.link.salesforceId,
    code,
    retry: (retries ?? 0) + 1,
  });
  model.enqueue({ kind: 'resync', request: { reason: `retry after ${code ?? 'park'}` } });
}

/** Keeps SalesforceId, ProcoreProjectId and SyncStatus current, upserting only when they change. */
function publishSearchAttributes(model: ProjectSyncModel, memo: { published: string }): void {
  const { link, status } = model.state;
  const next = JSON.stringify([link.salesforceId, link.procoreProjectId, status]);
  if (next === memo.published) return;
  memo.published = next;
  upsertSearchAttributes([
    { key: salesforceIdKey, value: link.salesforceId },
    { key: syncStatusKey, value: status },
    ...(link.procoreProjectId ? [{ key: procoreProjectIdKey, value: link.procoreProjectId }] : []),
  ]);
}

/** Keeps the memo's sweep view current, upserting only when it changes (one event in the batch's last task). */
function publishSweepView(model: ProjectSyncModel, lastPublished: { json: string }): void {
  const view = sweepViewOf(model.state);
  const next = JSON.stringify(view);
  if (next === lastPublished.json) return;
  lastPublished.json = next;
  upsertMemo({ [SWEEP_VIEW_MEMO_KEY]: view });
}

function reportTo(model: ProjectSyncModel): SyncReport {
  return {
    echo: () => {
      model.dropEcho();
      syncMetrics.dropped('echo');
    },
    written: (direction, sourceAt) => syncMetrics.written(direction, sourceAt),
    note: (message, details) => log.info(message, { salesforceId: model.state.link.salesforceId, ...details }),
  };
}

async function syncBatch(
  model: ProjectSyncModel,
  batch: QueuedChange[],
  settings: ProjectSyncSettings,
  mapping: ProjectMapping,
): Promise<void> {
  try {
    if (model.state.link.ended)
      await endedLinkBatch(model, batch, (id, fields) => salesforce.updateSalesforceProject(id, fields));
    else await convergentBatch(model, new ConvergentRules(model.state, mapping), batch, activityIo, reportTo(model));
    model.markSynced(Date.now());
    if (model.state.link.ended) model.state.status = 'unlinked';
  } catch (err) {
    const reason = parkReason(err);
    if (!reason) throw err;
    if (!model.state.link.ended && procoreProjectGone(model, reason)) {
      const { salesforceId, procoreProjectId } = model.state.link;
      log.warn('The linked Procore project no longer exists: the link ends', { salesforceId, procoreProjectId });
      endLink(model, Date.now());
      return syncBatch(model, [], settings, mapping);
    }
    syncMetrics.parked(reason.code);
    const salesforceId = model.state.link.salesforceId;
    const parked = parkedAfter(model.state.parked, reason, Date.now(), settings);
    log.warn('Sync parked; it tries again by itself, or at once on the next change or a resync', {
      salesforceId,
      ...reason,
      retries: parked.retries,
      nextRetryAt: new Date(parked.nextRetryAt ?? 0).toISOString(),
    });
    model.park(parked);
  }
}

/**
 * Starts (or, if a webhook already started it, signals) the Procore project's router with the link, which saves
 * it a Procore read on the project's first Procore-side edit. Best effort: without it the router reads origin_id.
 */
async function tellRouterTheLink(procoreProjectId: string, salesforceId: string): Promise<void> {
  const workflowId = procoreRouterWorkflowId(procoreProjectId);
  try {
    await startChild(procoreProjectRouter, {
      workflowId,
      args: [{ procoreProjectId, carried: { salesforceId, recentEventIds: [], queue: [] } }],
      // The router serves the Procore project for as long as it exists, beyond this run of ProjectSync.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    await getExternalWorkflowHandle(workflowId)
      .signal(linkKnown, salesforceId)
      .catch((signalErr: unknown) =>
        log.warn('Could not tell the router the link; it will read origin_id', {
          workflowId,
          error: String(signalErr),
        }),
      );
  }
}
