import { runSalesforceSandboxCli } from '../sandbox/salesforce';
import { runProcoreSandboxCli } from '../sandbox/procore';
import { usageOf } from '../command-list';

export async function sandboxCommand(argv: string[]): Promise<number> {
  const [system, ...rest] = argv;
  if (system === 'salesforce') return runSalesforceSandboxCli(rest);
  if (system === 'procore') return runProcoreSandboxCli(rest);
  process.stderr.write(usageOf('sandbox'));
  return 2;
}
