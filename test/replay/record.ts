/** Saves the histories of finished-or-running workflows of an e2e run, for the replay test. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export async function recordHistories(client: Client, workflowIds: string[]): Promise<void> {
  for (const workflowId of workflowIds) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    writeFileSync(path.join(__dirname, 'histories', `${workflowId}.json`), historyToJSON(history));
  }
}
