/** `tandem worker`, `tandem cdc` and `tandem ingress`: the processes of a Tandem deployment. */
import { startCdcWorker } from '../../workers/cdc-worker';
import { startSyncWorkers, type RunningWorkers } from '../../workers/sync-worker';
import { startIngress } from '../../ingress/main';
import { serveMetrics } from '../../common/metrics-server';
import { installTemporalRuntime } from '../../workers/temporal-runtime';
import { failFastOnConfig, processSetup } from '../process-runtime';
import { untilSignal } from '../signals';

async function runUntilSignal(name: string, start: typeof startSyncWorkers, ownMetrics = false): Promise<number> {
  const { config, logger } = processSetup(name);
  installTemporalRuntime(logger);
  const running: RunningWorkers = await start(config, logger);
  const metrics = !ownMetrics && config.METRICS_PORT !== undefined ? await serveMetrics(config.INGRESS_HOST, config.METRICS_PORT) : undefined;
  if (metrics) logger.info({ url: metrics.url }, 'serving metrics');
  process.stdout.write(`${name} ready${running.url ? ` at ${running.url}` : ''}\n`);
  const stopped = await Promise.race([untilSignal().then(() => 'signal' as const), running.done.then(() => 'done' as const)]);
  if (stopped === 'signal') {
    logger.info('shutting down: finishing in-flight work');
    running.shutdown();
    await running.done;
  }
  await metrics?.close();
  return 0;
}

export const workerCommand = () => failFastOnConfig(() => runUntilSignal('tandem-worker', startSyncWorkers));
export const cdcCommand = () => failFastOnConfig(() => runUntilSignal('tandem-cdc', startCdcWorker));
export const ingressCommand = () => failFastOnConfig(() => runUntilSignal('tandem-ingress', startIngress, true));
