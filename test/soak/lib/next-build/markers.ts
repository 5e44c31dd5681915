/**
 * What the run's histories show: the workflows whose history carries the new build's patch marker (evidence that
 * the new build ran) and the workflow tasks that failed as nondeterministic. The rollout never sends a moved run's
 * task to the old build, and the new build replays the old one's histories (its change is behind `patched()`), so
 * each one is a defect, on the cluster as anywhere else.
 */
import { Client, Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import type { SoakTemporal } from '../temporal';
import { NEXT_BUILD_PATCH } from './interceptors';

/** The SDK's marker name for `patched()`; its details name the patch. */
const PATCH_MARKER = 'core_patch';
const NONDETERMINISTIC = proto.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR;

type HistoryEvent = proto.api.history.v1.IHistoryEvent;

export interface NewBuildEvidence {
  workflows: number;
  withMarker: number;
  nondeterministicTasks: number;
}

export interface HistoryEvidence extends NewBuildEvidence {
  /** `workflowId/runId (event N: message)` of each run with a nondeterministic task, its first one. */
  nondeterministicRuns: string[];
}

function carriesMarker(event: HistoryEvent): boolean {
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName !== PATCH_MARKER) return false;
  const payloads = Object.values(marker.details ?? {}).flatMap((p) => p.payloads ?? []);
  return payloads.some((p) =>
    Buffer.from(p.data ?? [])
      .toString('utf8')
      .includes(NEXT_BUILD_PATCH),
  );
}

const nondeterministic = (event: HistoryEvent) => event.workflowTaskFailedEventAttributes?.cause === NONDETERMINISTIC;

export async function historyEvidence(temporal: SoakTemporal): Promise<HistoryEvidence> {
  const connection = await Connection.connect({ address: temporal.address });
  try {
    const client = new Client({ connection, namespace: temporal.namespace });
    const evidence: HistoryEvidence = {
      workflows: 0,
      withMarker: 0,
      nondeterministicTasks: 0,
      nondeterministicRuns: [],
    };
    for await (const execution of client.workflow.list()) {
      evidence.workflows += 1;
      const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
      const events = history.events ?? [];
      if (events.some(carriesMarker)) evidence.withMarker += 1;
      const failed = events.filter(nondeterministic);
      evidence.nondeterministicTasks += failed.length;
      const first = failed[0];
      if (!first) continue;
      const message = first.workflowTaskFailedEventAttributes?.failure?.message ?? '';
      evidence.nondeterministicRuns.push(
        `${execution.workflowId}/${execution.runId} (event ${String(first.eventId)}: ${message.slice(0, 160)})`,
      );
    }
    return evidence;
  } finally {
    await connection.close();
  }
}

export async function newBuildEvidence(temporal: SoakTemporal): Promise<NewBuildEvidence> {
  const { workflows, withMarker, nondeterministicTasks } = await historyEvidence(temporal);
  return { workflows, withMarker, nondeterministicTasks };
}
