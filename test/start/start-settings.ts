/** What the `tandem start` tests share: the ready banner they wait for, and the port settings they move. */
import { freePort } from '../../workers/temporal/dev-server';

/** The banner's dev-server pid, then the ready line. */
export const READY = /dev server pid (\d+)[\s\S]*^Tandem is ready$/m;

/** Every port `tandem start` listens on, by the setting that moves it. */
export const PORT_SETTINGS = [
  'TEMPORAL_PORT',
  'TEMPORAL_UI_PORT',
  'SALESFORCE_SANDBOX_PORT',
  'PROCORE_SANDBOX_PORT',
  'CONSOLE_PORT',
  'INGRESS_PORT',
] as const;

export type StartPorts = Record<(typeof PORT_SETTINGS)[number], number>;

/**
 * Runs `start` on freshly picked ports, and again on new ones when `tandem start` exits before it is ready: a port
 * found free here can be taken by another test file before `tandem start` binds it (exit 2 naming the port, or
 * EADDRINUSE). A start that fails for any other reason fails every attempt alike.
 */
export async function startOnFreePorts<T>(start: (ports: StartPorts) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const picked = await Promise.all(PORT_SETTINGS.map(async (name) => [name, await freePort()] as const));
    try {
      return await start(Object.fromEntries(picked) as StartPorts);
    } catch (error) {
      if (attempt >= attempts || !/ exited with /.test(String(error))) throw error;
    }
  }
}
