/** One measured step: drive edits on every rig at one rate, wait for them to arrive, and sum up each sync. */
import { callsBetween, callsSettle, readApiCalls, totalOf, type ApiCallCounts } from './api-calls';
import { driveEdits, type DriveResult } from './driver';
import { ratioOf, summarize } from './latency';
import type { StepReport, SyncFigures } from './report';
import type { Rig } from './rig';
import { DIRECTIONS } from './systems';
import { ChangeTracker } from './tracker';

export interface StepSettings {
  rate: number;
  durationS: number;
  editsPerChange: number;
  burstSpacingMs: number;
  valuePrefix: string;
  /** How long after the last edit a change may still arrive. */
  arrivalTimeoutMs: number;
  /** API call counts must stand still this long before the window closes. */
  settleQuietMs: number;
}

const per = (calls: number, n: number) => (n > 0 ? Math.round((calls / n) * 100) / 100 : 0);

function figuresOf(rig: Rig, drive: DriveResult, calls: ApiCallCounts): SyncFigures {
  const tracker = rig.tracker;
  const lastArrival = Math.max(drive.startedAt, ...tracker.samples.map((s) => s.observedAt));
  const salesforce = totalOf(calls.salesforce);
  const procore = totalOf(calls.procore);
  return {
    latency: Object.fromEntries(
      DIRECTIONS.map((d) => [d, summarize(tracker.samplesOf(d).map((s) => s.latencyMs))]),
    ) as SyncFigures['latency'],
    expected: tracker.expected,
    observed: tracker.samples.length,
    missing: tracker.outstanding,
    intermediateObserved: tracker.intermediateObserved,
    sustainedPerSecond: per(tracker.samples.length * 1000, lastArrival - drive.startedAt),
    apiCalls: calls,
    apiCallsPerChange: { salesforce: per(salesforce, drive.changes), procore: per(procore, drive.changes) },
    apiCallsPerEdit: { salesforce: per(salesforce, drive.edits), procore: per(procore, drive.edits) },
  };
}

export async function measureStep(tandem: Rig, floor: Rig, settings: StepSettings): Promise<StepReport> {
  const rigs = [tandem, floor];
  for (const rig of rigs) {
    rig.tracker = new ChangeTracker();
    rig.ownCalls.take();
  }
  const before = await Promise.all(rigs.map((r) => readApiCalls(r.pair)));
  const drive = await driveEdits(
    rigs.map((r) => ({ pair: r.pair, projects: r.projects, tracker: r.tracker })),
    {
      rate: settings.rate,
      durationS: settings.durationS,
      editsPerChange: settings.editsPerChange,
      burstSpacingMs: settings.burstSpacingMs,
      valuePrefix: settings.valuePrefix,
    },
  );
  await Promise.all(rigs.map((r) => r.tracker.allObserved(settings.arrivalTimeoutMs)));
  const after = await Promise.all(rigs.map((r) => callsSettle(r.pair, settings.settleQuietMs, 60_000)));
  const [tandemFigures, floorFigures] = rigs.map((r, i) =>
    figuresOf(r, drive, callsBetween(before[i]!, after[i]!, r.ownCalls.take())),
  ) as [SyncFigures, SyncFigures];
  return {
    rate: settings.rate,
    durationS: settings.durationS,
    changes: drive.changes,
    editsPerPair: drive.edits,
    failedEdits: drive.failedEdits,
    tandem: tandemFigures,
    floor: floorFigures,
    ratio: Object.fromEntries(
      DIRECTIONS.map((d) => [d, ratioOf(tandemFigures.latency[d], floorFigures.latency[d])]),
    ) as StepReport['ratio'],
  };
}
