import { runSalesforceSandboxCli } from '../sandbox/salesforce';
import { runProcoreSandboxCli } from '../sandbox/procore';

export async function sandboxCommand(argv: string[]): Promise<number> {
  const [system, ...rest] = argv;
  if (system === 'salesforce') return runSalesforceSandboxCli(rest);
  if (system === 'procore') return runProcoreSandboxCli(rest);
  process.stderr.write(
    'Usage: tandem sandbox salesforce|procore [--port N] [--data FILE] [--client-id ID --client-secret SECRET]\n',
  );
  return 2;
}
