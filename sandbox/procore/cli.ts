/** `tandem sandbox procore [--port N] [--data FILE] [--client-id ID --client-secret SECRET] [--company-id N]`. */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { untilSignal } from '../../cli/signals';
import { startProcoreSandbox, type ProcoreSandboxOptions } from './index';

const USAGE = 'Usage: tandem sandbox procore [--port N] [--data FILE] [--client-id ID --client-secret SECRET] [--company-id N]\n';

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`${flag} must be a non-negative integer, not '${value}'`);
  return Number(value);
}

function parseOptions(argv: string[]): ProcoreSandboxOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'company-id': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    port: integer(values.port, '--port'),
    host: values.host,
    dataFile: values.data,
    clientId: values['client-id'],
    clientSecret: values['client-secret'],
    companyId: integer(values['company-id'], '--company-id'),
  };
}

export async function runProcoreSandboxCli(argv: string[]): Promise<number> {
  let options: ProcoreSandboxOptions;
  try {
    options = parseOptions(argv);
  } catch (err) {
    process.stderr.write(`tandem: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  // Logs go to stderr: stdout carries only the one line that scripts wait for.
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
  const signal = untilSignal();
  const sandbox = await startProcoreSandbox({ ...options, logger });
  process.stdout.write(`Procore sandbox listening at ${sandbox.url}\n`);
  await signal;
  await sandbox.close();
  return 0;
}
