/** The combined sandbox console (sandbox/console) as a part of `tandem start`. */
import { startSandboxConsole, type SandboxConsoleOptions } from '../../demo/console/index';
import type { Part } from '../lifecycle';

export interface StartedConsole extends Part {
  url: string;
}

export async function startConsole(options: SandboxConsoleOptions): Promise<StartedConsole> {
  const started = await startSandboxConsole(options);
  return { name: 'sandbox console', url: started.url, stop: () => started.close() };
}
