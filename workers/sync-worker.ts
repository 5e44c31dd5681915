/**
 * The sync worker: ProjectSync and its companions on `tandem-sync`, and the system-API activities on one task
 * queue per system, each capped at a global activities-per-second rate that the server enforces.
 */
import { type NativeConnection, Worker } from '@temporalio/worker';
import type { TandemConfig } from '../common/config';
import type { Logger } from '../common/logger';
import { createProcoreActivities } from '../activities/procore/project-activities';
import { createSalesforceActivities } from '../activities/salesforce/project-activities';
import { createProcoreBackfillActivities } from '../activities/procore/backfill';
import { createProcoreReconcileActivities } from '../activities/procore/reconcile';
import { procoreHandoff, salesforceHandoff } from '../ingress/temporal-handoff';
import { createSalesforceReconcileActivities } from '../activities/salesforce/reconcile';
import { syncViews } from './sync-views';
import { createSalesforceBackfillActivities } from '../activities/salesforce/backfill';
import { createSalesforceCreationActivities } from '../activities/salesforce/create-from-procore';
import { createBackfillHandoffActivities } from './backfill-handoff';
import { fileMappingSource, mappingActivities } from './mapping-source';
import { salesforceFieldNames } from '../mappings/project-mapping';
import { DEFAULT_MAPPING_FILE } from '../mappings/validate';
import { TASK_QUEUES } from '../workflows/task-queues';
import { instrumentActivities } from '../activities/instrument';
import { shutdownIfRunning, type Running } from './lifecycle';
import { syncSinks } from './sync-sinks';
import { RenewableWorker } from './temporal/renewable-worker';
import { onLostActivation } from './temporal/sdk-faults';
import { workerRenewals } from '../common/metrics';
import { procoreClient, salesforceSession } from './systems';
import { connectClient, connectWorker } from './temporal/connection';
import { workflowBundlePath } from './temporal/workflow-bundle';
import { syncSettings } from './sync-settings';
import { limitWorkflowThreadHeap, workflowThreadHeapMiB } from './workflow-memory';
import { deploymentVersion, versionedWorker, versionName } from './temporal/deployment-version';
import { settleCurrentVersion } from './temporal/current-version';

export async function startSyncWorkers(config: TandemConfig, logger: Logger): Promise<Running> {
  // Refuse to start on a broken mapping: the error names the file, the field and the value. Lookups written by
  // Procore name are resolved to the company's ids here. Workflows receive it as data (activity `currentMapping`).
  const mappingSource = await fileMappingSource(config, config.TANDEM_MAPPING_FILE ?? DEFAULT_MAPPING_FILE, logger);
  const connection = await connectWorker(config);
  // The backfill hands records to their ProjectSync by signal-with-start, which needs a client.
  const client = await connectClient(config);
  const namespace = config.TEMPORAL_NAMESPACE;
  const bundle = config.TANDEM_WORKFLOW_BUNDLE ?? (await workflowBundlePath());
  // Every worker of this process polls as one Deployment Version, so a pinned run's activities stay on its build.
  const version = deploymentVersion(config, bundle);
  const workerDeploymentOptions = versionedWorker(version);
  const salesforce = salesforceSession(config);
  const procore = procoreClient(config);
  const createInSalesforce = config.TANDEM_CREATE_IN_SALESFORCE === 'on';
  // The sweeps hand changes over as the ingress does, so the routers they start adopt projects born in Procore alike.
  const handoff = { client, syncSettings: syncSettings(config), createInSalesforce };
  const views = syncViews(client);
  const workflowHeapMiB = workflowThreadHeapMiB(config.TANDEM_WORKFLOW_CACHE, config.TANDEM_WORKFLOW_HEAP_MIB);
  limitWorkflowThreadHeap(workflowHeapMiB);
  // The SDK takes one worker per task queue and connection: a replacement (RenewableWorker) brings its own.
  const replacementConnections: NativeConnection[] = [];
  let workflowWorkerCount = 0;
  const createWorkflowWorker = async () => {
    const own = workflowWorkerCount++ === 0 ? connection : await connectWorker(config);
    if (own !== connection) replacementConnections.push(own);
    return Worker.create({
      connection: own,
      namespace,
      taskQueue: TASK_QUEUES.sync,
      workflowBundle: { codePath: bundle },
      workerDeploymentOptions,
      sinks: syncSinks,
      maxCachedWorkflows: config.TANDEM_WORKFLOW_CACHE,
      activities: {
        ...createBackfillHandoffActivities(client, syncSettings(config)),
        ...mappingActivities(mappingSource),
      },
    });
  };
  const [workflowWorker, ...apiWorkers] = await Promise.all([
    RenewableWorker.start({
      create: createWorkflowWorker,
      logger,
      onRenewed: (reason) => workerRenewals.inc({ reason }),
    }),
    Worker.create({
      connection,
      namespace,
      taskQueue: TASK_QUEUES.salesforceApi,
      workerDeploymentOptions,
      activities: instrumentActivities('salesforce', {
        ...createSalesforceActivities(salesforce, async () =>
          salesforceFieldNames((await mappingSource.refresh()).mapping),
        ),
        ...createSalesforceBackfillActivities(salesforce),
        ...createSalesforceCreationActivities(salesforce, () => mappingSource.current().mapping),
        ...createSalesforceReconcileActivities(salesforce, salesforceHandoff(handoff), views),
      }),
      maxTaskQueueActivitiesPerSecond: config.SALESFORCE_RATE_CAP,
    }),
    Worker.create({
      connection,
      namespace,
      taskQueue: TASK_QUEUES.procoreApi,
      workerDeploymentOptions,
      activities: instrumentActivities('procore', {
        ...createProcoreActivities(procore, () => mappingSource.current().mapping),
        ...createProcoreBackfillActivities(procore, () => mappingSource.current().mapping),
        ...createProcoreReconcileActivities(
          procore,
          procoreHandoff(handoff),
          views,
          () => mappingSource.current().mapping,
          createInSalesforce,
        ),
      }),
      maxTaskQueueActivitiesPerSecond: config.PROCORE_RATE_CAP,
    }),
  ]);
  logger.info(
    {
      taskQueues: Object.values(TASK_QUEUES).slice(0, 3),
      temporal: config.TEMPORAL_ADDRESS,
      bundle,
      version: versionName(version),
      workflowCache: config.TANDEM_WORKFLOW_CACHE,
      workflowHeapMiB,
    },
    'sync workers running',
  );
  // A run the SDK lost stalls its project and holds a task slot for good: a new workflow worker has neither.
  const stopNoticing = onLostActivation(() => workflowWorker.renewAfterFault('lost-activation'));
  await settleCurrentVersion(client, version, config.TANDEM_CURRENT_VERSION, logger);
  const done = Promise.all([workflowWorker.run(), ...apiWorkers.map((w) => w.run())]).then(async () => {
    stopNoticing();
    const closing = await Promise.allSettled([connection, ...replacementConnections].map((c) => c.close()));
    // Only a replaced worker that never finished shutting down still holds its connection here.
    const leftOpen = closing.filter((c) => c.status === 'rejected').length;
    if (leftOpen > 0) logger.warn({ leftOpen }, 'Temporal connections left open at shutdown');
    await client.connection.close();
  });
  return {
    done,
    shutdown: () => {
      workflowWorker.shutdown();
      apiWorkers.forEach(shutdownIfRunning);
    },
  };
}
