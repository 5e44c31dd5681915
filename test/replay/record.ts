/** Saves workflow histories of an e2e run for the replay test, as the temporal CLI prints them (JSON). */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { findTemporalCli } from '../../workers/temporal/temporal-cli';

/** `suffix` names a fixture apart from another of the same workflow id (e.g. `.mapping-changed`). */
export function recordHistories(address: string, namespace: string, workflowIds: string[], suffix = ''): void {
  const cli = findTemporalCli();
  if (!cli) throw new Error('no temporal CLI to export histories with');
  for (const workflowId of workflowIds) {
    const json = execFileSync(cli, [
      'workflow',
      'show',
      '--address',
      address,
      '--namespace',
      namespace,
      '--workflow-id',
      workflowId,
      '--output',
      'json',
    ]);
    writeFileSync(path.join(__dirname, 'histories', `${workflowId}${suffix}.json`), json);
  }
}
