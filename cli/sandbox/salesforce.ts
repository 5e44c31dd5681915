/** `tandem sandbox salesforce [--port N] [--data FILE] [--client-id ID --client-secret SECRET]` */
import { runSandboxCli } from './runner';
import { startSalesforceSandbox } from '../../sandbox/salesforce/index';

export function runSalesforceSandboxCli(argv: string[]): Promise<number> {
  return runSandboxCli(argv, {
    title: 'Salesforce',
    usage: 'Usage: tandem sandbox salesforce [--port N] [--data FILE] [--client-id ID --client-secret SECRET]\n',
    options: (common) => common,
    start: startSalesforceSandbox,
  });
}
