/**
 * The Temporal server a soak runs on: its own dev server (a separate process), or one given by address, where the
 * run gets a fresh namespace so that workflow ids never meet an earlier run's (the sandboxes number records anew).
 */
import path from 'node:path';
import { startDevServer } from '../../../workers/temporal/dev-server';
import { TEST_OUTPUT } from '../../support/process-harness';
import { ensureTandemNamespace } from '../../../workers/temporal/namespace';

export interface SoakTemporal {
  address: string;
  namespace: string;
  stop(): Promise<void>;
}

export async function provideTemporal(address: string | undefined, label: string): Promise<SoakTemporal> {
  if (address)
    return {
      address,
      namespace: await createNamespace(address, `tandem-soak-${Date.now().toString(36)}`),
      stop: async () => undefined,
    };
  const namespace = 'tandem-soak';
  const server = await startDevServer({
    uiPort: false,
    namespace,
    logFile: path.join(TEST_OUTPUT, `${label}-temporal.log`),
  });
  return { address: server.address, namespace, stop: () => server.stop() };
}

async function createNamespace(address: string, namespace: string): Promise<string> {
  await ensureTandemNamespace(address, namespace);
  return namespace;
}
