/** Saves workflow histories of an e2e run for the replay test, as the temporal CLI prints them (JSON). */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { findTemporalCli } from '../../workers/temporal/temporal-cli';
import type { RunningSystem } from '../support/system';
import { temporalAddress } from '../support/temporal';

/** A workflow to record: its id alone (saved as `<workflowId>[.<label>].json`), or with the fixture's own name. */
export type Recorded = string | [workflowId: string, fixture: string];

function fixtureFile(entry: Recorded, label: string | undefined): { workflowId: string; file: string } {
  if (typeof entry !== 'string') return { workflowId: entry[0], file: `${entry[1]}.json` };
  return { workflowId: entry, file: `${entry}${label ? `.${label}` : ''}.json` };
}

/** Fixtures are named by workflow type and path (`project-sync.park-and-heal`), so each says what it replays. */
export function recordHistories(address: string, namespace: string, recorded: Recorded[], label?: string): void {
  const cli = findTemporalCli();
  if (!cli) throw new Error('no temporal CLI to export histories with');
  for (const entry of recorded) {
    const { workflowId, file } = fixtureFile(entry, label);
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
    writeFileSync(path.join(__dirname, 'histories', file), json);
  }
}

/** An e2e file's afterAll: saves the named histories when TANDEM_RECORD_HISTORIES is set, then stops the system. */
export async function recordHistoriesAndStop(
  system: RunningSystem | undefined,
  recorded: Recorded[],
  label?: string,
): Promise<void> {
  try {
    if (process.env.TANDEM_RECORD_HISTORIES && system)
      recordHistories(temporalAddress(), system.namespace, recorded, label);
  } finally {
    await system?.stop();
  }
}
