/** Evidence that the new build ran: the workflows whose history carries its patch marker. */
import { Client, Connection } from '@temporalio/client';
import type { SoakTemporal } from '../temporal';
import { NEXT_BUILD_PATCH } from './interceptors';

/** The SDK's marker name for `patched()`; its details name the patch. */
const PATCH_MARKER = 'core_patch';

export interface NewBuildEvidence {
  workflows: number;
  withMarker: number;
}

export async function newBuildEvidence(temporal: SoakTemporal): Promise<NewBuildEvidence> {
  const connection = await Connection.connect({ address: temporal.address });
  try {
    const client = new Client({ connection, namespace: temporal.namespace });
    let workflows = 0;
    let withMarker = 0;
    for await (const execution of client.workflow.list()) {
      workflows += 1;
      const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
      const marked = (history.events ?? []).some((event) => {
        const marker = event.markerRecordedEventAttributes;
        if (marker?.markerName !== PATCH_MARKER) return false;
        const payloads = Object.values(marker.details ?? {}).flatMap((p) => p.payloads ?? []);
        return payloads.some((p) =>
          Buffer.from(p.data ?? [])
            .toString('utf8')
            .includes(NEXT_BUILD_PATCH),
        );
      });
      if (marked) withMarker += 1;
    }
    return { workflows, withMarker };
  } finally {
    await connection.close();
  }
}
