/**
 * `tandem cluster up|down|status|restart|install|namespace|balance`: the production shape on this machine
 * (workers/cluster). `up` starts everything in the background and returns; `down` stops it.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadDotEnv, loadConfig } from '../../common/config';
import { clusterBanner } from '../../workers/cluster/banner';
import { startBalancer } from '../../workers/cluster/balancer';
import {
  clusterDown,
  clusterUp,
  residentMiB,
  restartClusterProcess,
  runningCluster,
} from '../../workers/cluster/cluster';
import { CLUSTER_HOST } from '../../workers/cluster/layout';
import { ensureTandemNamespace } from '../../workers/temporal/namespace';
import { ensureClusterTools } from '../../workers/cluster/provision';
import { untilSignal } from '../../workers/lifecycle';
import { usageOf } from '../command-list';

const DEFAULT_DATA = path.join('data', 'cluster');

const USAGE = usageOf('cluster');

const say = (line: string) => process.stderr.write(`tandem cluster: ${line}\n`);

function options(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      data: { type: 'string', default: DEFAULT_DATA },
      'port-base': { type: 'string' },
      kill: { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string', default: CLUSTER_HOST },
      to: { type: 'string' },
    },
  });
}

async function up(values: ReturnType<typeof options>['values']): Promise<number> {
  const portBase = values['port-base'] ? Number(values['port-base']) : undefined;
  try {
    const cluster = await clusterUp({ dataDir: values.data, portBase, report: say });
    process.stdout.write(clusterBanner(cluster));
    return 0;
  } catch (err) {
    say(`start-up failed, stopping what started: ${err instanceof Error ? err.message : String(err)}`);
    await clusterDown(values.data, say);
    return 1;
  }
}

function status(dataDir: string): number {
  const cluster = runningCluster(dataDir);
  if (!cluster) {
    process.stdout.write(`no cluster in ${dataDir}\n`);
    return 1;
  }
  for (const [name, pid] of Object.entries(cluster.pids)) {
    const memory = residentMiB(pid);
    process.stdout.write(
      `${name.padEnd(20)} pid ${String(pid).padEnd(8)} ${memory ? `${memory.rss} MiB (peak ${memory.peak})` : 'not running'}\n`,
    );
  }
  return 0;
}

async function balance(host: string, port: string | undefined, to: string | undefined): Promise<number> {
  if (!port || !to) {
    process.stderr.write(USAGE);
    return 2;
  }
  const balancer = await startBalancer(host, Number(port), to.split(','));
  process.stdout.write(`balancing ${to} at ${balancer.url}\n`);
  await untilSignal();
  await balancer.close();
  return 0;
}

export async function clusterCommand(argv: string[]): Promise<number> {
  const { values, positionals } = options(argv);
  const [sub, name] = positionals;
  switch (sub) {
    case 'up':
      return up(values);
    case 'down':
      await clusterDown(values.data, say);
      process.stdout.write('Tandem cluster stopped\n');
      return 0;
    case 'status':
      return status(values.data);
    case 'restart':
      if (!name) break;
      say(`${name} restarted, pid ${await restartClusterProcess(values.data, name, values.kill ? 'kill' : 'stop')}`);
      return 0;
    case 'install': {
      const started = Date.now();
      const tools = await ensureClusterTools();
      process.stdout.write(
        `${Object.values(tools).join('\n')}\nready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
      return 0;
    }
    case 'namespace': {
      loadDotEnv();
      const config = loadConfig();
      // The configuration's TLS and API key too: the namespace may live on a TLS cluster or Temporal Cloud.
      await ensureTandemNamespace(config, config.TEMPORAL_NAMESPACE, 120_000);
      process.stdout.write(`namespace ${config.TEMPORAL_NAMESPACE} ready with Tandem's search attributes\n`);
      return 0;
    }
    case 'balance':
      return balance(values.host, values.port, values.to);
  }
  process.stderr.write(USAGE);
  return 2;
}
