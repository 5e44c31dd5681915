/** Placeholder until the Salesforce sandbox lands (issue 3). */
export async function runSalesforceSandboxCli(_argv: string[]): Promise<number> {
  process.stderr.write('tandem: the Salesforce sandbox is not built yet\n');
  return 1;
}
