import { parseArgs } from 'node:util';
import { startDevServer } from '../../workers/temporal/dev-server';
import { ensureTemporalCli } from '../../workers/temporal/temporal-cli';
import { untilSignal } from '../../workers/lifecycle';
import { usageOf } from '../command-list';

export async function temporalCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'install' || sub === 'path') {
    process.stdout.write(`${await ensureTemporalCli()}\n`);
    return 0;
  }
  if (sub === 'dev') {
    const { values } = parseArgs({
      args: rest,
      options: {
        port: { type: 'string' },
        'ui-port': { type: 'string' },
        db: { type: 'string' },
        headless: { type: 'boolean' },
      },
    });
    const server = await startDevServer({
      port: values.port ? Number(values.port) : 7233,
      uiPort: values.headless ? false : values['ui-port'] ? Number(values['ui-port']) : undefined,
      dbFile: values.db,
    });
    process.stdout.write(
      `Temporal dev server at ${server.address}${server.uiUrl ? `, Web UI at ${server.uiUrl}` : ''}\n`,
    );
    await untilSignal();
    await server.stop();
    return 0;
  }
  process.stderr.write(usageOf('temporal'));
  return 2;
}
