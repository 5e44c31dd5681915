/** The demo console (demo/console), a part of `tandem start` when both systems are sandboxes. */
import { startSandboxConsole, type SandboxConsoleOptions } from '../../demo/console/index';
import type { Part } from '../lifecycle';

export interface StartedConsole extends Part {
  url: string;
}

export async function startConsole(options: SandboxConsoleOptions): Promise<StartedConsole> {
  const started = await startSandboxConsole(options);
  return { name: 'demo console', url: started.url, stop: () => started.close() };
}
