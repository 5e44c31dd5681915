/** `tandem worker`, `tandem cdc` and `tandem ingress`: the processes of a Tandem deployment. */
import { startCdcWorker } from '../../workers/cdc-worker';
import { startSyncWorkers, type RunningWorkers } from '../../workers/sync-worker';
import { startIngress } from '../../ingress/main';
import { processSetup } from '../process-runtime';
import { untilSignal } from '../signals';

async function runUntilSignal(name: string, start: typeof startSyncWorkers): Promise<number> {
  const { config, logger } = processSetup(name);
  const running: RunningWorkers = await start(config, logger);
  process.stdout.write(`${name} ready${running.url ? ` at ${running.url}` : ''}\n`);
  const stopped = await Promise.race([untilSignal().then(() => 'signal' as const), running.done.then(() => 'done' as const)]);
  if (stopped === 'signal') {
    logger.info('shutting down: finishing in-flight work');
    running.shutdown();
    await running.done;
  }
  return 0;
}

export const workerCommand = () => runUntilSignal('tandem-worker', startSyncWorkers);
export const cdcCommand = () => runUntilSignal('tandem-cdc', startCdcWorker);
export const ingressCommand = () => runUntilSignal('tandem-ingress', startIngress);
