/** Saves workflow histories of an e2e run for the replay test, as the temporal CLI prints them (JSON). */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { findTemporalCli } from '../../workers/temporal/temporal-cli';

/** `label`, when given, goes into the file name (`<workflowId>.<label>.json`), e.g. the patch the history shows. */
export function recordHistories(address: string, namespace: string, workflowIds: string[], label?: string): void {
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
    writeFileSync(path.join(__dirname, 'histories', `${workflowId}${label ? `.${label}` : ''}.json`), json);
  }
}
