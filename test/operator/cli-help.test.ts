/**
 * `--help` on every `tandem` command and subcommand, each run as an operator runs it (`node bin/tandem.js …`, a
 * child process): exit 0, the usage on stdout and nothing on stderr (no log line: nothing was started). The cases come
 * from the CLI's own list (cli/command-list.ts), so a command added there is asked too.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { COMMANDS, type CommandInfo } from '../../cli/command-list';

jest.setTimeout(30_000);

const ROOT = path.resolve(__dirname, '..', '..');
/** Each run loads the whole CLI through tsx: two at a time on a 2-core machine. */
const AT_ONCE = 2;
const RUN_WITHIN_MS = 60_000;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function tandem(args: string[]): Promise<CliRun> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'tandem.js'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_WITHIN_MS);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

const commands = Object.entries<CommandInfo>(COMMANDS);
/** Every command, then every subcommand: `[name]` or `[name, sub]`. */
const invocations: string[][] = commands.flatMap(([name, info]) => [
  [name],
  ...(info.subcommands ?? []).map((sub) => [name, sub]),
]);
/** `-h` once at each depth: it takes the same path as --help. */
const short = [['-h'], ['mapping', '-h'], ['mapping', 'check', '-h']];

const runs = new Map<string, CliRun>();

beforeAll(async () => {
  const queue = [['--help'], ...invocations.map((words) => [...words, '--help']), ...short];
  const worker = async () => {
    for (let args = queue.shift(); args; args = queue.shift()) runs.set(args.join(' '), await tandem(args));
  };
  await Promise.all(Array.from({ length: AT_ONCE }, worker));
}, 240_000);

it('lists the commands', () => {
  expect(commands.length).toBeGreaterThan(10);
  expect(invocations.length).toBeGreaterThan(commands.length + 10);
});

it('tandem --help lists every command on stdout and exits 0', () => {
  const run = runs.get('--help');
  expect(run).toMatchObject({ code: 0, stderr: '' });
  for (const [name] of commands) expect(run?.stdout).toMatch(new RegExp(`^ {2}tandem ${name}\\b`, 'm'));
});

it.each(invocations.map((words) => [words.join(' '), words] as const))(
  'tandem %s --help prints its usage and exits 0',
  (_, [name, sub]) => {
    const run = runs.get([name, sub, '--help'].filter(Boolean).join(' '));
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run?.stdout).toMatch(/^Usage:/);
    expect(run?.stdout).toContain(`tandem ${name}`);
    // The subcommand has a line of its own: `tandem cluster up …`, or `  status …` under `tandem deploy <step>`.
    if (sub) expect(run?.stdout).toMatch(new RegExp(`^\\s*(tandem ${name} )?${sub}\\b`, 'm'));
  },
);

it.each(short.map((args) => [args.join(' '), args] as const))('tandem %s answers as --help does', (_, args) => {
  const run = runs.get(args.join(' '));
  const long = runs.get(args.map((arg) => (arg === '-h' ? '--help' : arg)).join(' '));
  expect(run).toMatchObject({ code: 0, stderr: '' });
  expect(run?.stdout).toBe(long?.stdout);
});
