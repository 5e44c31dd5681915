/**
 * The CDC worker: runs the Salesforce change-stream subscriber activity and makes sure the singleton
 * SalesforceChangeStream workflow runs. Several CDC workers may run; Temporal gives the activity to one at a time.
 */
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { TandemConfig } from '../common/config';
import type { Logger } from '../common/logger';
import { createChangeStreamActivities } from '../activities/salesforce/cdc/follow-changes';
import { salesforceHandoff } from '../ingress/temporal-handoff';
import { salesforceChangeStream } from '../workflows/change-stream/change-stream';
import { CHANGE_STREAM_WORKFLOW_ID } from '../workflows/change-stream/messages';
import { PROCORE_RECONCILE_WORKFLOW_ID } from '../workflows/reconcile/messages';
import { procoreReconcile } from '../workflows/reconcile/procore-reconcile';
import { TASK_QUEUES } from '../workflows/task-queues';
import { salesforceSession } from './systems';
import { shutdownIfRunning, type Running } from './lifecycle';
import { connectClient, connectWorker } from './temporal/connection';

/** The singleton sweep that recovers Procore webhooks never delivered; a running one keeps its cursor and interval. */
async function startProcoreReconcile(client: Client, config: TandemConfig, logger: Logger): Promise<void> {
  try {
    await client.workflow.start(procoreReconcile, {
      workflowId: PROCORE_RECONCILE_WORKFLOW_ID,
      taskQueue: TASK_QUEUES.sync,
      args: [{ everyMs: config.TANDEM_RECONCILE_EVERY }],
    });
    logger.info({ workflowId: PROCORE_RECONCILE_WORKFLOW_ID }, 'started the Procore reconciliation');
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

export async function startCdcWorker(config: TandemConfig, logger: Logger): Promise<Running> {
  const client = await connectClient(config);
  const connection = await connectWorker(config);
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: TASK_QUEUES.salesforceCdc,
    activities: createChangeStreamActivities({
      session: salesforceSession(config),
      handoff: salesforceHandoff({ client, syncSettings: { coalesceWindowMs: config.TANDEM_COALESCE_MS } }),
      logger,
    }),
    // The subscriber never finishes on its own: on shutdown it is cancelled and resumes elsewhere from its cursor.
    shutdownGraceTime: '3 seconds',
  });
  await startProcoreReconcile(client, config, logger);
  try {
    await client.workflow.start(salesforceChangeStream, {
      workflowId: CHANGE_STREAM_WORKFLOW_ID,
      taskQueue: TASK_QUEUES.sync,
      args: [{ startReplayId: Number(config.SALESFORCE_CDC_START) as -1 | -2 }],
    });
    logger.info({ workflowId: CHANGE_STREAM_WORKFLOW_ID }, 'started the Salesforce change stream');
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  logger.info({ taskQueue: TASK_QUEUES.salesforceCdc }, 'CDC worker running');
  const done = worker.run().then(async () => {
    await connection.close();
    await client.connection.close();
  });
  return { done, shutdown: () => shutdownIfRunning(worker) };
}
