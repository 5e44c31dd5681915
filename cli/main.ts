/** `tandem <command>`: one module a command under cli/commands/. */
import { temporalCommand } from './commands/temporal';
import { sandboxCommand } from './commands/sandbox';
import { cdcCommand, ingressCommand, workerCommand } from './commands/processes';
import { resyncCommand, statusCommand } from './commands/operator';
import { startCommand } from './commands/start';
import { clusterCommand } from './commands/cluster';
import { backfillCommand } from './commands/backfill';
import { mappingCommand } from './commands/mapping';
import { deployCommand } from './commands/deploy';

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  start: {
    run: startCommand,
    summary: 'start: the whole system in one process (Temporal dev server, sandboxes, workers, ingress, console)',
  },
  cluster: {
    run: clusterCommand,
    summary: 'cluster up|down|status|restart|install|namespace|balance: the production shape on this machine',
  },
  temporal: {
    run: temporalCommand,
    summary: 'temporal install|path|dev: provision the Temporal CLI or run a dev server',
  },
  worker: { run: workerCommand, summary: 'worker: run the sync workflows and the Salesforce and Procore activities' },
  cdc: { run: cdcCommand, summary: 'cdc: run the Salesforce Change Data Capture subscriber' },
  ingress: { run: ingressCommand, summary: 'ingress: run the Procore webhook receiver and the operator API' },
  sandbox: { run: sandboxCommand, summary: 'sandbox salesforce|procore [--port N] [--data FILE]: run an API emulator' },
  status: {
    run: statusCommand,
    summary: "status <salesforceId>: show a project's sync state (TANDEM_API_URL, TANDEM_API_TOKEN)",
  },
  mapping: {
    run: mappingCommand,
    summary:
      'mapping check|apply [--mapping FILE]: check the mapping against the live systems, or apply it to running syncs',
  },
  backfill: {
    run: backfillCommand,
    summary: 'backfill [--match FIELD] [--dry-run] [--out DIR]: adopt the records both systems already hold',
  },
  deploy: {
    run: deployCommand,
    summary: 'deploy status|ramp|promote|rollback|nudge: roll a new worker version out (Worker Versioning)',
  },
  resync: { run: resyncCommand, summary: 'resync <salesforceId>|--all: re-read both sides and sync them again' },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(
    ([name, c]) => `  tandem ${c.summary.startsWith(name) ? c.summary : `${name}: ${c.summary}`}`,
  );
  return `Usage:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(name && name !== '--help' ? `tandem: unknown command '${name}'\n${usage()}` : usage());
    return name && name !== '--help' ? 2 : 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`tandem: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
