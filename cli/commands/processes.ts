/** `tandem worker`, `tandem cdc` and `tandem ingress`: the processes of a Tandem deployment. */
import { assertIngressSecure } from '../../common/secure-config';
import { startCdcWorker } from '../../workers/cdc-worker';
import { startIngress } from '../../workers/ingress';
import { failFastOnConfig, runProcess } from '../../workers/run-process';
import { startSyncWorkers } from '../../workers/sync-worker';

export const workerCommand = () => failFastOnConfig(() => runProcess('tandem-worker', startSyncWorkers));
export const cdcCommand = () => failFastOnConfig(() => runProcess('tandem-cdc', startCdcWorker));
export const ingressCommand = () =>
  failFastOnConfig(() =>
    runProcess('tandem-ingress', startIngress, { ownMetrics: true, preflight: assertIngressSecure }),
  );
