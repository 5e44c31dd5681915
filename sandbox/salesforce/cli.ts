/** `tandem sandbox salesforce [--port N] [--data FILE] [--client-id ID --client-secret SECRET]` */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { untilSignal } from '../../cli/signals';
import { SANDBOX_DEFAULTS, startSalesforceSandbox } from './index';

const USAGE = 'Usage: tandem sandbox salesforce [--port N] [--data FILE] [--client-id ID --client-secret SECRET]\n';

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  const port = values.port === undefined ? SANDBOX_DEFAULTS.port : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not '${values.port}'`);
  return { ...values, port };
}

export async function runSalesforceSandboxCli(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (err) {
    process.stderr.write(`tandem: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  // Logs go to stderr: stdout carries only the one line that scripts wait for.
  const logger = pino({ name: 'salesforce-sandbox', level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
  const signal = untilSignal();
  const sandbox = await startSalesforceSandbox({
    logger,
    port: args.port,
    host: args.host,
    dataFile: args.data,
    clientId: args['client-id'],
    clientSecret: args['client-secret'],
  });
  process.stdout.write(`Salesforce sandbox listening at ${sandbox.url}\n`);
  await signal;
  await sandbox.close();
  return 0;
}
