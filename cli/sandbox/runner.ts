/** What both `tandem sandbox …` commands share: flags, usage errors, one stdout line, clean stop on a signal. */
import { parseArgs } from 'node:util';
import pino, { type Logger } from 'pino';
import { untilSignal } from '../../workers/lifecycle';

export interface CommonSandboxOptions {
  port?: number;
  host?: string;
  dataFile?: string;
  clientId?: string;
  clientSecret?: string;
  logger: Logger;
}

export interface SandboxCli<O extends CommonSandboxOptions> {
  /** Shown in the ready line: `<title> sandbox listening at <url>`. */
  title: string;
  usage: string;
  /** Flags beyond the common ones, all taking a value. */
  extraFlags?: string[];
  /** Adds what the extra flags mean to the common options. */
  options(common: CommonSandboxOptions, extra: Record<string, string | undefined>): O;
  start(options: O): Promise<{ url: string; close(): Promise<void> }>;
}

export function integerFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`${flag} must be a non-negative integer, not '${value}'`);
  return Number(value);
}

export async function runSandboxCli<O extends CommonSandboxOptions>(
  argv: string[],
  cli: SandboxCli<O>,
): Promise<number> {
  const flags = ['port', 'host', 'data', 'client-id', 'client-secret', ...(cli.extraFlags ?? [])];
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: Object.fromEntries(flags.map((f) => [f, { type: 'string' as const }])),
      strict: true,
    }).values;
    const port = integerFlag(values.port as string | undefined, '--port');
    if (port !== undefined && port > 65535) throw new Error(`--port must be at most 65535, not '${port}'`);
    values.port = port === undefined ? undefined : String(port);
  } catch (err) {
    process.stderr.write(`tandem: ${err instanceof Error ? err.message : String(err)}\n${cli.usage}`);
    return 2;
  }
  // Logs go to stderr: stdout carries only the one line that scripts wait for.
  const logger = pino(
    { name: `${cli.title.toLowerCase()}-sandbox`, level: process.env.LOG_LEVEL ?? 'info' },
    pino.destination(2),
  );
  const common: CommonSandboxOptions = {
    logger,
    port: values.port === undefined ? undefined : Number(values.port),
    host: values.host as string | undefined,
    dataFile: values.data as string | undefined,
    clientId: values['client-id'] as string | undefined,
    clientSecret: values['client-secret'] as string | undefined,
  };
  const extra = Object.fromEntries((cli.extraFlags ?? []).map((f) => [f, values[f] as string | undefined]));
  let options: O;
  try {
    options = cli.options(common, extra);
  } catch (err) {
    process.stderr.write(`tandem: ${err instanceof Error ? err.message : String(err)}\n${cli.usage}`);
    return 2;
  }
  const signal = untilSignal();
  const sandbox = await cli.start(options);
  process.stdout.write(`${cli.title} sandbox listening at ${sandbox.url}\n`);
  await signal;
  await sandbox.close();
  return 0;
}
