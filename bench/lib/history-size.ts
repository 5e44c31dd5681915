/**
 * What Temporal holds for the run: every workflow execution's history (events and bytes), the bulk of its
 * persistence. Closed runs (continued-as-new) from visibility; running ones from describe, which reads the live
 * state, since visibility updates a running execution's size only now and then. Works on any server.
 */
import type { Client } from '@temporalio/client';
import { boundedMap } from './console-user';

export interface HistoryFigures {
  executions: number;
  running: number;
  events: number;
  mib: number;
}

const DESCRIBE_CONCURRENCY = 16;

export async function historySize(client: Client): Promise<HistoryFigures> {
  const closed = { executions: 0, events: 0, bytes: 0 };
  const running: Array<{ workflowId: string; runId: string }> = [];
  for await (const execution of client.workflow.list()) {
    if (execution.status.name === 'RUNNING') {
      running.push({ workflowId: execution.workflowId, runId: execution.runId });
      continue;
    }
    closed.executions++;
    closed.events += execution.historyLength;
    closed.bytes += execution.historySize ?? 0;
  }
  const live = await boundedMap(running.length, DESCRIBE_CONCURRENCY, async (i) => {
    const { workflowId, runId } = running[i]!;
    const described = await client.workflow.getHandle(workflowId, runId).describe();
    return { events: described.historyLength, bytes: described.historySize ?? 0 };
  });
  const bytes = live.reduce((sum, x) => sum + x.bytes, closed.bytes);
  return {
    executions: closed.executions + running.length,
    running: running.length,
    events: live.reduce((sum, x) => sum + x.events, closed.events),
    mib: Math.round((bytes / 2 ** 20) * 10) / 10,
  };
}
