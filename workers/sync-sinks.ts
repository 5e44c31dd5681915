/** The worker side of the workflows' metric sinks. */
import type { InjectedSinks } from '@temporalio/worker';
import { eventsDropped, syncLatency, syncs } from '../common/metrics';
import type { SyncSinks } from '../workflows/sinks';

export const syncSinks: InjectedSinks<SyncSinks> = {
  syncMetrics: {
    dropped: { fn: (_info, reason) => eventsDropped.inc({ reason }) },
    written: {
      fn: (_info, direction, sourceCommittedAt) => {
        syncs.inc({ direction, outcome: 'written' });
        // Measured with the worker's real clock, not workflow time.
        if (sourceCommittedAt > 0)
          syncLatency.observe({ direction }, Math.max(0, Date.now() - sourceCommittedAt) / 1000);
      },
    },
    parked: { fn: () => syncs.inc({ direction: 'any', outcome: 'parked' }) },
  },
};
