/**
 * `tandem sandbox procore [--port N] [--data FILE] [--client-id ID --client-secret SECRET] [--company-id N]
 *  [--hourly-limit N] [--spike-limit N] [--webhook-retry-ms N] [--webhook-max-attempts N] [--seed N]`. The limits
 *  default to Procore's (3600 an hour, 100 per 10 s); long soak runs raise the hourly one so that they measure the
 *  sync, not an exhausted hour. The webhook flags shorten Procore's delivery back-off (1 s doubling, 12 hours before
 *  a destination is given up and its hook disabled), so a test can see a hook disabled in seconds.
 */
import { integerFlag, runSandboxCli } from './runner';
import { SEED_FLAGS, SEED_USAGE, seedOption } from './seed-flags';
import { startProcoreSandbox } from '../../sandbox/procore/index';

export function runProcoreSandboxCli(argv: string[]): Promise<number> {
  return runSandboxCli(argv, {
    title: 'Procore',
    usage:
      'Usage: tandem sandbox procore [--port N] [--data FILE] [--client-id ID --client-secret SECRET] [--company-id N]' +
      ` [--hourly-limit N] [--spike-limit N] [--webhook-retry-ms N] [--webhook-max-attempts N] ${SEED_USAGE}\n`,
    extraFlags: [
      'company-id',
      'hourly-limit',
      'spike-limit',
      'webhook-retry-ms',
      'webhook-max-attempts',
      ...SEED_FLAGS,
    ],
    options: (common, extra) => ({
      ...common,
      companyId: integerFlag(extra['company-id'], '--company-id'),
      rateLimit: definedOnly({
        hourly: integerFlag(extra['hourly-limit'], '--hourly-limit'),
        spikeLimit: integerFlag(extra['spike-limit'], '--spike-limit'),
      }),
      webhookRetry: definedOnly({
        initialDelayMs: integerFlag(extra['webhook-retry-ms'], '--webhook-retry-ms'),
        maxAttempts: integerFlag(extra['webhook-max-attempts'], '--webhook-max-attempts'),
      }),
      seed: seedOption(extra),
    }),
    start: startProcoreSandbox,
  });
}

/** A flag left out keeps the sandbox's default rather than setting it to undefined. */
function definedOnly(limits: Record<string, number | undefined>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(limits).filter((entry): entry is [string, number] => entry[1] !== undefined),
  );
}
