/**
 * The CDC worker: runs the Salesforce change-stream subscriber activity and makes sure the singleton
 * SalesforceChangeStream workflow runs and the reconciliation's schedules exist. Several CDC workers may run; Temporal gives the activity to one at a time.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { TandemConfig } from '../common/config';
import type { Logger } from '../common/logger';
import { createChangeStreamActivities } from '../activities/salesforce/cdc/follow-changes';
import { salesforceHandoff } from '../ingress/temporal-handoff';
import { salesforceChangeStream } from '../workflows/change-stream/change-stream';
import { CHANGE_STREAM_WORKFLOW_ID } from '../workflows/change-stream/messages';
import { TASK_QUEUES } from '../workflows/task-queues';
import { ensureReconcileSchedules } from './reconcile-schedule';
import { salesforceSession } from './systems';
import { shutdownIfRunning, type Running } from './lifecycle';
import { connectClient, connectWorker } from './temporal/connection';
import { syncSettings } from './sync-settings';
import { workflowBundlePath } from './temporal/workflow-bundle';
import { deploymentVersion, versionedWorker, versionName } from './temporal/deployment-version';
import { settleCurrentVersion } from './temporal/current-version';

export async function startCdcWorker(config: TandemConfig, logger: Logger): Promise<Running> {
  const client = await connectClient(config);
  const connection = await connectWorker(config);
  // The change stream's activity queue is part of the sync workers' version: the same build id, from the same bundle.
  const version = deploymentVersion(config, config.TANDEM_WORKFLOW_BUNDLE ?? (await workflowBundlePath()));
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: TASK_QUEUES.salesforceCdc,
    workerDeploymentOptions: versionedWorker(version),
    activities: createChangeStreamActivities({
      session: salesforceSession(config),
      handoff: salesforceHandoff({ client, syncSettings: syncSettings(config) }),
      logger,
    }),
    // The subscriber never finishes on its own: on shutdown it is cancelled and resumes elsewhere from its cursor.
    shutdownGraceTime: '3 seconds',
  });
  await ensureReconcileSchedules(client, config.TANDEM_RECONCILE_EVERY, logger);
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
  const done = worker.run().then(async () => {
    await connection.close();
    await client.connection.close();
  });
  await settleCurrentVersion(client, version, config.TANDEM_CURRENT_VERSION, logger);
  logger.info({ taskQueue: TASK_QUEUES.salesforceCdc, version: versionName(version) }, 'CDC worker running');
  return { done, shutdown: () => shutdownIfRunning(worker) };
}
