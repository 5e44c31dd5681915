/**
 * Reconcile: one run of the anti-entropy sweep, started by a Temporal Schedule (every TANDEM_RECONCILE_EVERY, and a
 * full sweep once a day). It sweeps both systems for records changed since the previous run's cursors, which
 * Temporal hands each scheduled run as `lastResult`; each sweep signals only the ProjectSyncs that missed a change.
 * The result (cursors, pages read, differences found) is what the Temporal UI shows for the run, and its memo.
 */
import { log, proxyActivities, upsertMemo, workflowInfo } from '@temporalio/workflow';
import { TASK_QUEUES } from '../task-queues';
import type {
  ProcoreReconcileActivities,
  ReconcileCursors,
  ReconcileInput,
  ReconcileResult,
  SalesforceReconcileActivities,
  SweepCounts,
} from './messages';

const sweepOptions = {
  startToCloseTimeout: '10 minutes',
  // A sweep on a worker that died is retried elsewhere soon, not after the whole start-to-close timeout.
  heartbeatTimeout: '20 seconds',
  // A sweep that cannot finish is retried a few times, then left to the next run with its cursor unmoved.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
} as const;

const { sweepProcoreProjects } = proxyActivities<ProcoreReconcileActivities>({
  ...sweepOptions,
  taskQueue: TASK_QUEUES.procoreApi,
  summary: 'Procore sweep: projects updated since the last sweep, inactive ones too',
});
const { sweepSalesforceProjects } = proxyActivities<SalesforceReconcileActivities>({
  ...sweepOptions,
  taskQueue: TASK_QUEUES.salesforceApi,
  summary: 'Salesforce sweep: records updated or deleted since the last sweep (replication API)',
});

function previousCursors(input: ReconcileInput): ReconcileCursors {
  const last = workflowInfo().lastResult as Partial<ReconcileResult> | undefined;
  if (input.full || !last?.cursors) return { procore: null, salesforce: null };
  return last.cursors;
}

async function sweep<R extends SweepCounts & { cursor: number }>(
  system: string,
  run: () => Promise<R>,
  cursor: number | null,
): Promise<{ cursor: number | null; counts: SweepCounts | { failed: string } }> {
  try {
    const { cursor: next, pagesRead, projectsRead, differences } = await run();
    return { cursor: next, counts: { pagesRead, projectsRead, differences } };
  } catch (err) {
    log.warn('Sweep failed; the next run starts from the same cursor', { system, cursor, error: String(err) });
    return { cursor, counts: { failed: String(err) } };
  }
}

export async function reconcile(input: ReconcileInput): Promise<ReconcileResult> {
  const cursors = previousCursors(input);
  const [procore, salesforce] = await Promise.all([
    sweep(
      'procore',
      () => sweepProcoreProjects({ since: cursors.procore, firstLookbackMs: input.everyMs, full: input.full }),
      cursors.procore,
    ),
    sweep(
      'salesforce',
      () => sweepSalesforceProjects({ since: cursors.salesforce, firstLookbackMs: input.everyMs, full: input.full }),
      cursors.salesforce,
    ),
  ]);
  const result: ReconcileResult = {
    cursors: { procore: procore.cursor, salesforce: salesforce.cursor },
    procore: procore.counts,
    salesforce: salesforce.counts,
  };
  upsertMemo({ full: input.full, procore: result.procore, salesforce: result.salesforce });
  return result;
}
