/**
 * One real Temporal dev server for the whole test run. Test files read its address from TEMPORAL_ADDRESS.
 * Set TANDEM_TEST_TEMPORAL_ADDRESS to reuse a server you started yourself (it is then left running).
 */
import { startDevServer, type DevServer } from '../../workers/temporal/dev-server';
import { TEST_NAMESPACES } from './temporal';

declare global {
  var __TANDEM_TEMPORAL__: DevServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  const reuse = process.env.TANDEM_TEST_TEMPORAL_ADDRESS;
  if (reuse) {
    process.env.TEMPORAL_ADDRESS = reuse;
    return;
  }
  const started = Date.now();
  const server = await startDevServer({
    uiPort: false,
    extraNamespaces: Object.values(TEST_NAMESPACES),
    // Lets the continue-as-new tests reach the suggestion after a few dozen events instead of thousands.
    dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 120 },
  });
  globalThis.__TANDEM_TEMPORAL__ = server;
  process.env.TEMPORAL_ADDRESS = server.address;
  process.stderr.write(
    `\n[tandem tests] Temporal dev server ${server.address} (pid ${server.pid}) ready in ${Date.now() - started} ms\n`,
  );
}
