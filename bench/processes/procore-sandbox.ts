/**
 * The Procore sandbox as `tandem sandbox procore` runs it, but with the rate limits out of the way: the benchmark
 * measures the sync, not Procore's 100-calls-per-10-seconds budget (it reports calls per change instead, from which
 * the budget a real company needs follows). `tandem sandbox procore` has no flag for the limits yet.
 */
import { untilSignal } from '../../workers/lifecycle';
import { startProcoreSandbox } from '../../sandbox/procore';

const UNLIMITED = { hourly: 1_000_000_000, spikeWindowSeconds: 10, spikeLimit: 1_000_000_000 };

async function main(): Promise<void> {
  const signal = untilSignal();
  const sandbox = await startProcoreSandbox({ port: 0, rateLimit: UNLIMITED, logger: false });
  process.stdout.write(`Procore sandbox listening at ${sandbox.url}\n`);
  await signal;
  await sandbox.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`procore sandbox: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
