/** `tandem sandbox salesforce [--port N] [--data FILE] [--client-id ID --client-secret SECRET] [--seed N]` */
import { runSandboxCli } from './runner';
import { SEED_FLAGS, SEED_USAGE, seedOption } from './seed-flags';
import { startSalesforceSandbox } from '../../sandbox/salesforce/index';

export function runSalesforceSandboxCli(argv: string[]): Promise<number> {
  return runSandboxCli(argv, {
    title: 'Salesforce',
    usage: `Usage: tandem sandbox salesforce [--port N] [--data FILE] [--client-id ID --client-secret SECRET] ${SEED_USAGE}\n`,
    extraFlags: SEED_FLAGS,
    options: (common, extra) => ({ ...common, seed: seedOption(extra) }),
    start: startSalesforceSandbox,
  });
}
