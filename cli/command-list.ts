/**
 * Every `tandem` command: its one-line summary (`tandem --help`), its usage (`tandem <command> --help`, and the
 * text a usage error ends with) and its subcommands. Data only, so that the help and the tests read it without
 * loading what the commands run; cli/main.ts maps each name to its module under cli/commands/.
 */

import { DEFAULT_PORT_BASE } from '../workers/cluster/layout';

export interface CommandInfo {
  /** What follows the name in the overview, e.g. `up|down|status`; empty for a command without arguments. */
  synopsis: string;
  summary: string;
  usage: string;
  /** The first word after the command, where it takes one (e.g. `cluster up`). */
  subcommands?: readonly string[];
}

const SANDBOX_FLAGS = '[--port N] [--host HOST] [--data FILE] [--client-id ID --client-secret SECRET]';
const SEED_FLAGS = '[--seed N [--seed-size RECORDS]]';

export const COMMANDS = {
  start: {
    synopsis: '',
    summary: 'the whole system in one process (Temporal dev server, sandboxes, workers, ingress, console)',
    usage:
      'Usage: tandem start\n' +
      '  Settings come from the environment and .env; see .env.example (ports, DATA_DIR, TANDEM_SANDBOXES).\n',
  },
  cluster: {
    synopsis: 'up|down|status|restart|install|namespace|balance',
    summary: 'the production shape on this machine',
    usage: `Usage:
  tandem cluster up [--data DIR] [--port-base N]   start PostgreSQL, Temporal + UI, 2 workers, CDC, 2 ingresses, sandboxes
  tandem cluster down [--data DIR]                 stop everything a previous up started
  tandem cluster status [--data DIR]               each process: pid, alive, memory
  tandem cluster restart NAME [--data DIR] [--kill]  restart one process (e.g. temporal-server, worker-1)
  tandem cluster install                           build/install the Temporal server, schema tool, UI and PostgreSQL
  tandem cluster namespace                         register TEMPORAL_NAMESPACE and Tandem's search attributes
  tandem cluster balance [--host IP] --port N --to URL,URL  the balancer in front of the ingresses
Defaults: --data data/cluster, --port-base ${DEFAULT_PORT_BASE} (ports base .. base+16).
`,
    subcommands: ['up', 'down', 'status', 'restart', 'install', 'namespace', 'balance'],
  },
  temporal: {
    synopsis: 'install|path|dev',
    summary: 'provision the Temporal CLI or run a dev server',
    usage: `Usage:
  tandem temporal install                          download the Temporal CLI if it is missing; print its path
  tandem temporal path                             the same
  tandem temporal dev [--port N] [--ui-port N] [--db FILE] [--headless]  a Temporal dev server until Ctrl-C
`,
    subcommands: ['install', 'path', 'dev'],
  },
  worker: {
    synopsis: '',
    summary: 'run the sync workflows and the Salesforce and Procore activities',
    usage: 'Usage: tandem worker\n  Settings come from the environment and .env; see .env.example.\n',
  },
  cdc: {
    synopsis: '',
    summary: 'run the Salesforce Change Data Capture subscriber',
    usage: 'Usage: tandem cdc\n  Settings come from the environment and .env; see .env.example.\n',
  },
  ingress: {
    synopsis: '',
    summary: 'run the Procore webhook receiver and the operator API',
    usage: 'Usage: tandem ingress\n  Settings come from the environment and .env; see .env.example.\n',
  },
  sandbox: {
    synopsis: 'salesforce|procore [--port N] [--data FILE]',
    summary: 'run an API emulator',
    usage: `Usage:
  tandem sandbox salesforce ${SANDBOX_FLAGS} ${SEED_FLAGS}
  tandem sandbox procore ${SANDBOX_FLAGS} ${SEED_FLAGS}
      [--company-id N] [--hourly-limit N] [--spike-limit N] [--webhook-retry-ms N] [--webhook-max-attempts N]
`,
    subcommands: ['salesforce', 'procore'],
  },
  status: {
    synopsis: '<salesforceId>',
    summary: "show a project's sync state (TANDEM_API_URL, TANDEM_API_TOKEN)",
    usage: 'Usage: tandem status <salesforceId>\n',
  },
  mapping: {
    synopsis: 'check|apply [--mapping FILE]',
    summary: 'check the mapping against the live systems, or apply it to running syncs',
    usage: `Usage:
  tandem mapping check [--mapping FILE]   the mapping against the live systems; exit 1 on any mismatch
  tandem mapping apply [--mapping FILE]   validate the file, then tell every running ProjectSync to adopt it
`,
    subcommands: ['check', 'apply'],
  },
  backfill: {
    synopsis: '[--match FIELD] [--dry-run] [--out DIR]',
    summary: 'adopt the records both systems already hold',
    usage:
      'Usage: tandem backfill [--match FIELD] [--dry-run] [--out DIR] [--batch-size N] [--mapping FILE] [--create-in-salesforce]\n',
  },
  deploy: {
    synopsis: 'status|ramp|promote|rollback|nudge',
    summary: 'roll a new worker version out (Worker Versioning)',
    usage: `Usage: tandem deploy <step> [--deployment NAME]
  status                       the deployment's versions: current, ramping, draining, drained
  ramp <build-id> <percent>    send that share of the workflows to a new version (0 with no build id: stop ramping)
  promote <build-id>           make a version current: every workflow moves to it at its next task
  rollback <build-id>          make an earlier version current again (promote, by another name)
  nudge                        signal the open syncs and routers, so idle ones move to their target version
The deployment is TANDEM_DEPLOYMENT_NAME (default tandem); Temporal is TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE.
`,
    subcommands: ['status', 'ramp', 'promote', 'rollback', 'nudge'],
  },
  resync: {
    synopsis: '<salesforceId>|--all',
    summary: 're-read both sides and sync them again',
    usage: 'Usage: tandem resync <salesforceId> | tandem resync --all\n',
  },
} as const satisfies Record<string, CommandInfo>;

export type CommandName = keyof typeof COMMANDS;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

export function usageOf(name: CommandName): string {
  return COMMANDS[name].usage;
}

/** `tandem --help`: one line a command. */
export function overview(): string {
  const lines = Object.entries(COMMANDS).map(
    ([name, c]: [string, CommandInfo]) => `  tandem ${name}${c.synopsis ? ` ${c.synopsis}` : ''}: ${c.summary}`,
  );
  return `Usage:\n${lines.join('\n')}\nEvery command takes --help (-h).\n`;
}

/** `--help` or `-h` before any `--`: the command's usage is all that is asked for. */
export function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}
