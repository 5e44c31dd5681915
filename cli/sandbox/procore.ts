/** `tandem sandbox procore [--port N] [--data FILE] [--client-id ID --client-secret SECRET] [--company-id N] [--seed N]`. */
import { integerFlag, runSandboxCli } from './runner';
import { SEED_FLAGS, SEED_USAGE, seedOption } from './seed-flags';
import { startProcoreSandbox } from '../../sandbox/procore/index';

export function runProcoreSandboxCli(argv: string[]): Promise<number> {
  return runSandboxCli(argv, {
    title: 'Procore',
    usage:
      'Usage: tandem sandbox procore [--port N] [--data FILE] [--client-id ID --client-secret SECRET] [--company-id N] ' +
      `${SEED_USAGE}\n`,
    extraFlags: ['company-id', ...SEED_FLAGS],
    options: (common, extra) => ({
      ...common,
      companyId: integerFlag(extra['company-id'], '--company-id'),
      seed: seedOption(extra),
    }),
    start: startProcoreSandbox,
  });
}
