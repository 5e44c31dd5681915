/**
 * Whether Tandem has work left in Temporal: an open workflow with a pending activity (running, or waiting out a
 * retry or the start-to-close timeout of a killed worker) or a pending workflow task. The API counts alone cannot
 * tell a finished sync from one whose next retry is 30 s away. The change stream's subscriber is an activity that
 * never ends; it counts as idle once an attempt runs that started after the CDC worker last started.
 */
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal as proto } from '@temporalio/proto';
import type { SoakTemporal } from './temporal';

/** The CDC worker process in place: when it started (epoch ms), and the newest change event it must hand over. */
export interface CdcProgress {
  startedAt: number;
  newestChangeEvent: number;
}

export interface TemporalWork {
  busy(cdc: CdcProgress): Promise<string | undefined>;
  /** The soak's own client, for reading histories afterwards (sync-trail.ts). */
  client: Client;
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

/**
 * The replayId the subscriber last handed to Temporal, from its heartbeat (the SDK sends those at most every 16 s,
 * so this may trail a little); 0 before its first.
 */
function handedUpTo(activity: PendingActivity): number {
  const [payload] = activity.heartbeatDetails?.payloads ?? [];
  if (!payload) return 0;
  const cursor = defaultPayloadConverter.fromPayload<{ replayId?: number } | null>(payload as Payload);
  return typeof cursor?.replayId === 'number' ? cursor.replayId : 0;
}

export async function watchTemporalWork(temporal: SoakTemporal): Promise<TemporalWork> {
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: temporal.namespace });
  return {
    client,
    /** The first workflow found with work pending, as `id: what`; undefined when none has any. */
    busy: async (cdc) => {
      for await (const execution of client.workflow.list({ query: 'ExecutionStatus = "Running"' })) {
        const { raw } = await client.workflow.getHandle(execution.workflowId, execution.runId).describe();
        const activities = raw.pendingActivities ?? [];
        if (execution.type === 'salesforceChangeStream') {
          if (!streamFollowing(activities, cdc.startedAt))
            return `${execution.workflowId}: the CDC subscriber is not running yet`;
          const handed = handedUpTo(activities[0]!);
          if (handed < cdc.newestChangeEvent)
            return `${execution.workflowId}: change events handed up to ${handed} of ${cdc.newestChangeEvent}`;
        } else if (activities.length) return `${execution.workflowId}: ${activities.length} pending activities`;
        if (raw.pendingWorkflowTask) return `${execution.workflowId}: a pending workflow task`;
      }
      return undefined;
    },
    close: () => connection.close(),
  };
}
