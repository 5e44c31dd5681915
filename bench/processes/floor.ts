/** The floor as its own process (like Tandem's), so it neither shares an event loop with the benchmark nor slows it. */
import { untilSignal } from '../../workers/lifecycle';
import { createLogger } from '../../common/logger';
import { startFloor } from '../lib/floor';

async function main(): Promise<void> {
  const salesforceUrl = process.env.FLOOR_SALESFORCE_URL;
  const procoreUrl = process.env.FLOOR_PROCORE_URL;
  if (!salesforceUrl || !procoreUrl) throw new Error('FLOOR_SALESFORCE_URL and FLOOR_PROCORE_URL must be set');
  const signal = untilSignal();
  const floor = await startFloor(
    { salesforceUrl, procoreUrl },
    createLogger('bench-floor', process.env.LOG_LEVEL ?? 'warn'),
  );
  process.stdout.write('bench-floor ready\n');
  await signal;
  await floor.stop();
}

main().catch((err: unknown) => {
  process.stderr.write(`floor: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
