/**
 * Handing events to Temporal: each call returns once Temporal has durably accepted the event (signal-with-start
 * starts the workflow if none runs), and only then may the caller acknowledge the event to its source.
 */
import type { Client } from '@temporalio/client';
import type { ProcoreHandoff } from '../activities/procore/reconcile';
import type { ProcoreProjectRecord } from '../activities/procore/types';
import type { SalesforceHandoff } from '../activities/salesforce/cdc/follow-changes';
import type { ProcoreLinks } from './procore-links';
import { toSalesforceId18 } from '../common/salesforce-id';
import { procoreRouterWorkflowId, procoreProjectRouter } from '../workflows/procore-router/procore-router';
import {
  procoreChanged,
  type ProcoreChange,
  projectSyncWorkflowId,
  type ProjectSyncSettings,
  resyncRequested,
  salesforceChanged,
  type SalesforceChange,
} from '../workflows/project-sync/messages';
import { projectSync } from '../workflows/project-sync/project-sync';
import { salesforceIdKey } from '../workflows/search-attributes';
import { TASK_QUEUES } from '../workflows/task-queues';

export interface Handoff {
  client: Client;
  syncSettings?: Partial<ProjectSyncSettings>;
  /** TANDEM_CREATE_IN_SALESFORCE: whether a router started here adopts a project born in Procore. */
  createInSalesforce?: boolean;
  /** Known links let a Procore change go straight to its ProjectSync; without them every change goes via the router. */
  procoreLinks?: ProcoreLinks;
}

function projectSyncStart({ syncSettings }: Handoff, anyFormId: string) {
  // The workflow's input becomes Procore's origin_id: always the 18-character form.
  const salesforceId = toSalesforceId18(anyFormId) ?? anyFormId;
  return {
    workflowId: projectSyncWorkflowId(salesforceId),
    taskQueue: TASK_QUEUES.sync,
    args: [{ salesforceId, settings: syncSettings }] as Parameters<typeof projectSync>,
    typedSearchAttributes: [{ key: salesforceIdKey, value: salesforceId }],
  };
}

export async function handSalesforceChange(
  handoff: Handoff,
  salesforceId: string,
  change: SalesforceChange,
): Promise<void> {
  await handoff.client.workflow.signalWithStart(projectSync, {
    ...projectSyncStart(handoff, salesforceId),
    signal: salesforceChanged,
    signalArgs: [change],
  });
}

/** `procore`: the linked project as the caller just read it, which spares a new sync that read (the backfill). */
export async function requestResync(
  handoff: Handoff,
  salesforceId: string,
  reason: string,
  procore?: ProcoreProjectRecord,
): Promise<void> {
  await handoff.client.workflow.signalWithStart(projectSync, {
    ...projectSyncStart(handoff, salesforceId),
    signal: resyncRequested,
    signalArgs: [procore ? { reason, procore } : { reason }],
  });
}

export async function handProcoreChange(handoff: Handoff, change: ProcoreChange): Promise<void> {
  const salesforceId = await handoff.procoreLinks?.find(change.procoreProjectId);
  if (salesforceId) {
    // What the router would do with it: signal the record's ProjectSync, starting one if none runs.
    await handoff.client.workflow.signalWithStart(projectSync, {
      ...projectSyncStart(handoff, salesforceId),
      signal: procoreChanged,
      signalArgs: [change],
    });
    return;
  }
  await handoff.client.workflow.signalWithStart(procoreProjectRouter, {
    workflowId: procoreRouterWorkflowId(change.procoreProjectId),
    taskQueue: TASK_QUEUES.sync,
    args: [{ procoreProjectId: change.procoreProjectId, createInSalesforce: handoff.createInSalesforce }],
    signal: procoreChanged,
    signalArgs: [change],
  });
  handoff.procoreLinks?.learn(change.procoreProjectId);
}

/** The handoff as the CDC subscriber activity sees it. */
export function salesforceHandoff(handoff: Handoff): SalesforceHandoff {
  return {
    salesforceChange: (salesforceId, change) => handSalesforceChange(handoff, salesforceId, change),
    resync: (salesforceId, reason) => requestResync(handoff, salesforceId, reason),
  };
}

/** The handoff as the Procore reconciliation sweep sees it: the same router a webhook goes through. */
export function procoreHandoff(handoff: Handoff): ProcoreHandoff {
  return {
    procoreChange: (change) => handProcoreChange(handoff, change),
    resync: (salesforceId, reason) => requestResync(handoff, salesforceId, reason),
  };
}
