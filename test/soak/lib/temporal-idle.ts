/**
 * Whether Tandem has work left in Temporal: an open workflow with a pending activity (running, or waiting out a
 * retry or the start-to-close timeout of a killed worker) or a pending workflow task. The API counts alone cannot
 * tell a finished sync from one whose next retry is 30 s away. The change stream's subscriber is an activity that
 * never ends; it counts as idle once an attempt runs that started after the CDC worker last started.
 */
import { Client, Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import type { SoakTemporal } from './temporal';

export interface TemporalWork {
  /** `cdcStartedAt`: when the current CDC worker process started (epoch ms). */
  busy(cdcStartedAt: number): Promise<string | undefined>;
  close(): Promise<void>;
}

type PendingActivity = proto.api.workflow.v1.IPendingActivityInfo;
const STARTED = proto.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;

function epochMs(time: PendingActivity['lastStartedTime']): number {
  return time ? Number(time.seconds ?? 0) * 1000 + Math.floor((time.nanos ?? 0) / 1e6) : 0;
}

/** The subscriber runs on the live CDC worker, not on one that was killed and whose attempt has not timed out. */
function streamFollowing(activities: PendingActivity[], cdcStartedAt: number): boolean {
  return (
    activities.length === 1 &&
    activities[0]!.state === STARTED &&
    epochMs(activities[0]!.lastStartedTime) >= cdcStartedAt
  );
}

export async function watchTemporalWork(temporal: SoakTemporal): Promise<TemporalWork> {
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: temporal.namespace });
  return {
    /** The first workflow found with work pending, as `id: what`; undefined when none has any. */
    busy: async (cdcStartedAt) => {
      for await (const execution of client.workflow.list({ query: 'ExecutionStatus = "Running"' })) {
        const { raw } = await client.workflow.getHandle(execution.workflowId, execution.runId).describe();
        const activities = raw.pendingActivities ?? [];
        if (execution.type === 'salesforceChangeStream') {
          if (!streamFollowing(activities, cdcStartedAt))
            return `${execution.workflowId}: the CDC subscriber is not running yet`;
        } else if (activities.length) return `${execution.workflowId}: ${activities.length} pending activities`;
        if (raw.pendingWorkflowTask) return `${execution.workflowId}: a pending workflow task`;
      }
      return undefined;
    },
    close: () => connection.close(),
  };
}
