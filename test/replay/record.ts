/** Saves workflow histories of an e2e run for the replay test, as the temporal CLI prints them (JSON). */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { findTemporalCli } from '../../workers/temporal/temporal-cli';
import type { RunningSystem } from '../support/system';
import { temporalAddress } from '../support/temporal';

/** `label`, when given, goes into the file name (`<workflowId>.<label>.json`), e.g. the behaviour the history shows. */
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

/** An e2e file's afterAll: saves the named histories when TANDEM_RECORD_HISTORIES is set, then stops the system. */
export async function recordHistoriesAndStop(
  system: RunningSystem | undefined,
  workflowIds: string[],
  label?: string,
): Promise<void> {
  try {
    if (process.env.TANDEM_RECORD_HISTORIES && system)
      recordHistories(temporalAddress(), system.namespace, workflowIds, label);
  } finally {
    await system?.stop();
  }
}
