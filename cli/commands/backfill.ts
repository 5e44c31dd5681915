/**
 * `tandem backfill [--match FIELD] [--dry-run] [--out DIR] [--batch-size N] [--create-in-salesforce]`: adopts the
 * records both systems already hold before the sync starts. Reads both whole, matches them, writes the report; then
 * (unless --dry-run) links the pairs and hands them, and the records Procore lacks, to their ProjectSync through
 * the backfill workflow; with --create-in-salesforce, the Procore-only projects get their Salesforce records too.
 * With TANDEM_CREATE_IN_PROCORE=off the Salesforce-only records are reported and left as they are.
 */
import { parseArgs } from 'node:util';
import { loadConfig, loadDotEnv } from '../../common/config';
import { loadMappingFile } from '../../mappings/validate';
import { connectClient } from '../../workers/temporal/connection';
import { actionsOf, readAndMatch } from '../backfill/plan';
import { renderTable, writeReport } from '../backfill/report';
import { follow, runningBackfill, startBackfill } from '../backfill/run';
import { usageOf } from '../command-list';

const USAGE = usageOf('backfill');

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      match: { type: 'string', default: 'projectNumber' },
      'dry-run': { type: 'boolean', default: false },
      out: { type: 'string', default: 'backfill-report' },
      'batch-size': { type: 'string' },
      mapping: { type: 'string' },
      'create-in-salesforce': { type: 'boolean', default: false },
    },
    strict: true,
  }).values;
}

export async function backfillCommand(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (err) {
    process.stderr.write(`tandem: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const batchSize = args['batch-size'] === undefined ? undefined : Number(args['batch-size']);
  if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize > 0)) {
    process.stderr.write(`tandem: --batch-size must be a positive integer\n${USAGE}`);
    return 2;
  }
  loadDotEnv();
  const config = loadConfig();
  const mapping = loadMappingFile(args.mapping);
  const client = args['dry-run'] ? undefined : await connectClient(config);
  try {
    const running = client && (await runningBackfill(client));
    if (running) {
      process.stdout.write('A backfill is already running; following it.\n');
      const progress = await follow(running, process.stderr);
      process.stdout.write(`${JSON.stringify(progress)}\n`);
      return progress.failed > 0 ? 1 : 0;
    }
    const plan = await readAndMatch(config, mapping, args.match);
    const createInProcore = config.TANDEM_CREATE_IN_PROCORE === 'on';
    process.stdout.write(renderTable(plan, { createInProcore }));
    const files = writeReport(plan, args.out, { createInProcore });
    process.stdout.write(`\nReport: ${files.json}, ${files.csv}\n`);
    if (!client) return 0;
    const actions = actionsOf(mapping, plan, {
      inSalesforce: args['create-in-salesforce'],
      inProcore: createInProcore,
    });
    if (actions.length === 0) {
      process.stdout.write('Nothing to do: every pair is linked.\n');
      return 0;
    }
    const handle = await startBackfill(client, actions, batchSize);
    process.stdout.write(`Backfill workflow ${handle.workflowId} started (Temporal UI: backfillProgress query).\n`);
    const progress = await follow(handle, process.stderr);
    process.stdout.write(
      `Backfill done: ${progress.linked} linked, ${progress.handedForCreation} handed for creation in Procore, ` +
        `${progress.createdInSalesforce ?? 0} created in Salesforce, ${progress.skipped} skipped, ` +
        `${progress.failed} failed.\n`,
    );
    for (const failure of progress.failures)
      process.stdout.write(`  failed ${failure.salesforceId || `Procore ${failure.procoreId}`}: ${failure.reason}\n`);
    return progress.failed > 0 ? 1 : 0;
  } finally {
    await client?.connection.close();
  }
}
