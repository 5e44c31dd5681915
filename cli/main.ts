/** `tandem <command>`: one module a command under cli/commands/, each listed with its usage in command-list.ts. */
import type * as Backfill from './commands/backfill';
import type * as Cluster from './commands/cluster';
import type * as Deploy from './commands/deploy';
import type * as Mapping from './commands/mapping';
import type * as Operator from './commands/operator';
import type * as Processes from './commands/processes';
import type * as Sandbox from './commands/sandbox';
import type * as Start from './commands/start';
import type * as Temporal from './commands/temporal';
import { asksForHelp, isCommandName, overview, usageOf, type CommandName } from './command-list';

/**
 * A command's module, loaded only when that command runs: `--help` and a usage error read command-list.ts alone,
 * not the Temporal SDK and the systems' clients (seconds on a busy machine).
 */
function load<M>(module: string): M {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(module) as M;
}

const RUN: Record<CommandName, (argv: string[]) => Promise<number>> = {
  start: (argv) => load<typeof Start>('./commands/start').startCommand(argv),
  cluster: (argv) => load<typeof Cluster>('./commands/cluster').clusterCommand(argv),
  temporal: (argv) => load<typeof Temporal>('./commands/temporal').temporalCommand(argv),
  worker: () => load<typeof Processes>('./commands/processes').workerCommand(),
  cdc: () => load<typeof Processes>('./commands/processes').cdcCommand(),
  ingress: () => load<typeof Processes>('./commands/processes').ingressCommand(),
  sandbox: (argv) => load<typeof Sandbox>('./commands/sandbox').sandboxCommand(argv),
  status: (argv) => load<typeof Operator>('./commands/operator').statusCommand(argv),
  mapping: (argv) => load<typeof Mapping>('./commands/mapping').mappingCommand(argv),
  backfill: (argv) => load<typeof Backfill>('./commands/backfill').backfillCommand(argv),
  deploy: (argv) => load<typeof Deploy>('./commands/deploy').deployCommand(argv),
  resync: (argv) => load<typeof Operator>('./commands/operator').resyncCommand(argv),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(overview());
    return 0;
  }
  if (name === '--help' || name === '-h') {
    process.stdout.write(overview());
    return 0;
  }
  if (!isCommandName(name)) {
    process.stderr.write(`tandem: unknown command '${name}'\n${overview()}`);
    return 2;
  }
  // Every command and subcommand answers --help (-h) the same way, before it reads any setting.
  if (asksForHelp(rest)) {
    process.stdout.write(usageOf(name));
    return 0;
  }
  return RUN[name](rest);
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
