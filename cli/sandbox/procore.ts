/** `tandem sandbox procore [--port N] [--data FILE] [--client-id ID --client-secret SECRET] [--company-id N]`. */
import { integerFlag, runSandboxCli } from './runner';
import { startProcoreSandbox } from '../../sandbox/procore/index';

export function runProcoreSandboxCli(argv: string[]): Promise<number> {
  return runSandboxCli(argv, {
    title: 'Procore',
    usage:
      'Usage: tandem sandbox procore [--port N] [--data FILE] [--client-id ID --client-secret SECRET] [--company-id N]\n',
    extraFlags: ['company-id'],
    options: (common, extra) => ({ ...common, companyId: integerFlag(extra['company-id'], '--company-id') }),
    start: startProcoreSandbox,
  });
}
