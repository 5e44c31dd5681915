/**
 * SalesforceChangeStream: a singleton workflow whose heartbeating activity is the one CDC subscriber. Temporal runs
 * one attempt of an activity at a time, so several CDC workers never subscribe twice, and the heartbeat details
 * carry the replayId cursor across a crash to whichever worker retries it.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { TASK_QUEUES } from '../task-queues';
import { continueAsNewOnTarget, targetVersionMoved } from '../versioning';
import type { ChangeStreamActivities, ChangeStreamInput } from './messages';

const { followSalesforceChanges } = proxyActivities<ChangeStreamActivities>({
  taskQueue: TASK_QUEUES.salesforceCdc,
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '20 seconds',
  // Never give up: the stream is down until Salesforce or the credentials are back, and the UI shows why.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export async function salesforceChangeStream(input: ChangeStreamInput): Promise<void> {
  let cursor = input.cursor ?? null;
  const runForMs = input.runForMs ?? 60 * 60 * 1000;
  while (!workflowInfo().continueAsNewSuggested && !targetVersionMoved()) {
    const result = await followSalesforceChanges({ cursor, startReplayId: input.startReplayId, runForMs });
    cursor = result.cursor ?? cursor;
  }
  await continueAsNewOnTarget<typeof salesforceChangeStream>({ ...input, cursor });
}
