/** The Temporal dev server of `tandem start`: a child process on a SQLite file under DATA_DIR, with its Web UI. */
import path from 'node:path';
import type { TandemConfig } from '../../common/config';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import type { Part } from '../lifecycle';
import { forgetDevServer, recordDevServer } from './dev-server-pid';

export interface StartedTemporal extends Part {
  server: DevServer;
  dbFile: string;
}

/** If this process dies without stopping the server (its own process group does not get our signals), kill it. */
function killOnExit(server: DevServer): () => void {
  const kill = () => {
    try {
      process.kill(server.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', kill);
  return () => process.off('exit', kill);
}

export async function startTemporal(config: TandemConfig, dataDir: string): Promise<StartedTemporal> {
  const dbFile = path.join(dataDir, 'temporal.sqlite');
  const server = await startDevServer({
    port: config.TEMPORAL_PORT,
    uiPort: config.TEMPORAL_UI_PORT,
    namespace: config.TEMPORAL_NAMESPACE,
    dbFile,
    logFile: path.join(dataDir, 'temporal.log'),
    detached: true,
    // Recorded before it serves: a start killed while the server boots leaves no orphan unknown to the next one.
    onSpawn: (pid) => recordDevServer(dataDir, pid, dbFile),
  });
  const forget = killOnExit(server);
  return {
    name: 'Temporal dev server',
    server,
    dbFile,
    stop: async () => {
      await server.stop();
      forget();
      forgetDevServer(dataDir);
    },
  };
}

/** The configuration the workers and the ingress run with: this server, its UI. */
export function pointAtTemporal(config: TandemConfig, server: DevServer): TandemConfig {
  return { ...config, TEMPORAL_ADDRESS: server.address, TEMPORAL_UI_URL: server.uiUrl ?? config.TEMPORAL_UI_URL };
}
