/**
 * `tandem mapping apply`: tells every running ProjectSync that the mapping changed. Each one asks the sync worker
 * for its mapping (which the worker loads again when its file changed) and adopts it between two batches; a sync
 * already on that version ignores the signal, so applying twice is harmless.
 */
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { mappingChanged } from '../../workflows/project-sync/messages';

/** Every ProjectSync that runs now: the visibility store lists them by type and status. */
export const RUNNING_SYNCS = "WorkflowType = 'projectSync' AND ExecutionStatus = 'Running'";
/** Signals in flight at once: enough to finish thousands in seconds, few enough not to crowd the frontend. */
const IN_FLIGHT = 16;

export interface ApplyOutcome {
  signalled: number;
  /** Syncs that closed between the listing and the signal (they start on the worker's mapping when next started). */
  gone: number;
}

export async function signalMappingChanged(client: Client, version: string): Promise<ApplyOutcome> {
  const outcome: ApplyOutcome = { signalled: 0, gone: 0 };
  const pending = new Set<Promise<void>>();
  for await (const execution of client.workflow.list({ query: RUNNING_SYNCS })) {
    const sent = client.workflow
      .getHandle(execution.workflowId)
      .signal(mappingChanged, { version })
      .then(
        () => void outcome.signalled++,
        (err: unknown) => {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
          outcome.gone++;
        },
      )
      .finally(() => pending.delete(sent));
    pending.add(sent);
    if (pending.size >= IN_FLIGHT) await Promise.race(pending);
  }
  await Promise.all(pending);
  return outcome;
}
