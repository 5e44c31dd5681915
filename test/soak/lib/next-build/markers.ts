/**
 * Evidence that the new build ran: the workflows whose history carries its patch marker; and what the roll cost: the
 * workflow tasks that failed as nondeterministic (an old-build worker replaying a history the new build extended).
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

export async function newBuildEvidence(temporal: SoakTemporal): Promise<NewBuildEvidence> {
  const connection = await Connection.connect({ address: temporal.address });
  try {
    const client = new Client({ connection, namespace: temporal.namespace });
    let workflows = 0;
    let withMarker = 0;
    let nondeterministicTasks = 0;
    for await (const execution of client.workflow.list()) {
      workflows += 1;
      const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
      const events = history.events ?? [];
      if (events.some(carriesMarker)) withMarker += 1;
      nondeterministicTasks += events.filter(
        (event) => event.workflowTaskFailedEventAttributes?.cause === NONDETERMINISTIC,
      ).length;
    }
    return { workflows, withMarker, nondeterministicTasks };
  } finally {
    await connection.close();
  }
}
