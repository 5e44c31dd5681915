/**
 * `tandem status <salesforceId>` and `tandem resync <salesforceId>|--all`: the operator API from a terminal.
 * The ingress is at TANDEM_API_URL (default http://127.0.0.1:3000), with TANDEM_API_TOKEN when it wants one.
 */
import { parseArgs } from 'node:util';
import { loadDotEnv } from '../../common/config';
import { operatorClientFromEnv } from '../../ingress/operator-api/client';
import { formatSyncState } from '../operator/format';
import { resyncAll, summarize } from '../operator/resync-all';
import { usageOf } from '../command-list';

const STATUS_USAGE = usageOf('status');
const RESYNC_USAGE = usageOf('resync');

function parse(argv: string[]): { ids: string[]; all: boolean } | undefined {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { all: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
    return { ids: positionals, all: values.all ?? false };
  } catch {
    return undefined;
  }
}

export async function statusCommand(argv: string[]): Promise<number> {
  const args = parse(argv);
  if (!args || args.all || args.ids.length !== 1) {
    process.stderr.write(STATUS_USAGE);
    return 2;
  }
  loadDotEnv();
  const [salesforceId] = args.ids;
  process.stdout.write(formatSyncState(salesforceId, await operatorClientFromEnv().project(salesforceId)));
  return 0;
}

export async function resyncCommand(argv: string[]): Promise<number> {
  const args = parse(argv);
  // Exactly one of: a record id, or --all.
  if (!args || args.ids.length !== (args.all ? 0 : 1)) {
    process.stderr.write(RESYNC_USAGE);
    return 2;
  }
  loadDotEnv();
  const client = operatorClientFromEnv();
  if (args.all) {
    const outcome = await resyncAll(client);
    process.stdout.write(summarize(outcome));
    return outcome.failures.length === 0 ? 0 : 1;
  }
  const [salesforceId] = args.ids;
  const state = await client.resync(salesforceId);
  process.stdout.write(`Re-synced.\n${formatSyncState(salesforceId, state)}`);
  return state.status === 'error' ? 1 : 0;
}
