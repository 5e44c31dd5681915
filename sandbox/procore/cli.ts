/** Placeholder until the Procore sandbox lands (issue 4). */
export async function runProcoreSandboxCli(_argv: string[]): Promise<number> {
  process.stderr.write('tandem: the Procore sandbox is not built yet\n');
  return 1;
}
