/**
 * The benchmark's core, for `npm run bench` and the smoke test: brings up Temporal, two sandbox pairs, Tandem on
 * one and the floor on the other, creates the projects, measures one step (or a ramp of steps), and tears it all
 * down again. Everything it starts, it stops, also when it fails.
 */
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createLogger } from '../../common/logger';
import type { ConflictPolicy } from '../../mappings/types';
import { startTypeScriptProcess, type TandemProcess } from '../../test/support/process-harness';
import { callsSettle } from './api-calls';
import { preciseNow } from './clock';
import { FLOOR_SALESFORCE_CLIENT } from './floor';
import { measureStep, type StepSettings } from './measure';
import { historySize } from './history-size';
import { cpuMeter, LinkedMemorySeries, peakRssMiB } from './memory';
import { linkCost } from './link-cost';
import { DEFAULT_LINK_WINDOW, populateDirectly, populateThroughSync } from './population';
import type { BenchReport, BenchSettings, StepReport } from './report';
import { Rig } from './rig';
import { startSandboxPair, type SandboxPair } from './sandboxes';
import { salesforceSession } from './systems';
import { startTandem, type RunningTandem } from './tandem';
import { provideTemporal, type BenchTemporal } from './temporal';
import { slowestChanges, timelineOf, type SlowChange, type Timeline } from './timeline';

export interface BenchOptions {
  rate: number;
  durationS: number;
  projects: number;
  /** Edits per change; 1 means no burst. */
  burst: number;
  workers: number;
  latencyMs: number;
  coalesceMs: number;
  ramp: boolean;
  /** host:port of a Temporal server to reuse; the benchmark starts its own without it. */
  temporal?: string;
  /** Namespace on that server (must exist); a fresh one is created without it. */
  namespace?: string;
  dynamicConfig: Record<string, unknown>;
  rateCap: number;
  /** The sync worker's TANDEM_WORKFLOW_CACHE; Tandem's default without it. */
  workflowCache?: number;
  /** `--max-old-space-size` of the sync workers; Node's default without it. */
  workerHeapMiB?: number;
  /** Keep the own dev server's state in a SQLite file and report its size. */
  persist: boolean;
  /** Records created and not yet linked, at most, while populating. */
  linkWindow: number;
  /** Tandem's processes run from dist/ (`npm run build`) as in production, not from the TypeScript sources. */
  compiled: boolean;
  /** One conflict policy for every field of Tandem's mapping; the shipped mapping's own without it. */
  conflictPolicy?: ConflictPolicy;
  /** Aborted (Ctrl-C): the run stops where it is and tears down everything it started. */
  signal?: AbortSignal;
  /** The ramp stops at the first step whose Tandem p99 passes this (the issue's target: 1 s). */
  p99LimitMs: number;
  maxRampSteps: number;
  rampFactor: number;
  /** Progress lines (stderr in the CLI). */
  progress: (line: string) => void;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  rate: 5,
  durationS: 30,
  projects: 200,
  burst: 1,
  workers: 1,
  latencyMs: 30,
  coalesceMs: 200,
  ramp: false,
  dynamicConfig: {},
  rateCap: 1000,
  persist: false,
  linkWindow: DEFAULT_LINK_WINDOW,
  compiled: false,
  p99LimitMs: 1000,
  maxRampSteps: 8,
  rampFactor: 1.5,
  progress: () => undefined,
};

const BURST_SPACING_MS = 150;

/** Everything started, stopped in reverse order. */
class Teardown {
  private readonly steps: Array<() => Promise<unknown>> = [];
  add(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }
  async run(): Promise<void> {
    for (const step of this.steps.reverse()) await step().catch(() => undefined);
  }
}

const loadAverage = () => Math.round(os.loadavg()[0]! * 100) / 100;

function machine(loadAtStart: number): BenchReport['machine'] {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: { atStart: loadAtStart, atEnd: loadAverage() },
  };
}

function stepSettings(options: BenchOptions, rate: number, index: number): StepSettings {
  return {
    rate,
    durationS: options.durationS,
    editsPerChange: options.burst,
    burstSpacingMs: BURST_SPACING_MS,
    valuePrefix: `b${index}`,
    arrivalTimeoutMs: 30_000,
    settleQuietMs: 1500,
  };
}

const worstP99 = (step: StepReport) =>
  Math.max(step.tandem.latency.salesforceToProcore.p99, step.tandem.latency.procoreToSalesforce.p99);
const withinLimit = (step: StepReport, limitMs: number) => worstP99(step) <= limitMs && step.tandem.missing === 0;

async function startFloorProcess(pair: SandboxPair): Promise<TandemProcess> {
  const env = { FLOOR_SALESFORCE_URL: pair.salesforceUrl, FLOOR_PROCORE_URL: pair.procoreUrl, LOG_LEVEL: 'warn' };
  return startTypeScriptProcess(
    'bench-floor',
    path.join('bench', 'processes', 'floor.ts'),
    [],
    env,
    /bench-floor ready/,
  );
}

async function withClient<T>(temporal: BenchTemporal, work: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: temporal.address });
  try {
    return await work(new Client({ connection, namespace: temporal.namespace }));
  } finally {
    await connection.close();
  }
}

function historyTimeline(temporal: BenchTemporal, step: StepReport | undefined, rig: Rig): Promise<Timeline> {
  return withClient(temporal, (client) => timelineOf(client, step ? rig.tracker.samples : [], rig.projects));
}

export async function runBenchmark(partial: Partial<BenchOptions> = {}): Promise<BenchReport> {
  const options = { ...DEFAULT_OPTIONS, ...partial };
  const say = options.progress;
  const logger = createLogger('bench', 'warn');
  const startedAt = new Date();
  const loadAtStart = loadAverage();
  const teardown = new Teardown();
  // A stopped run still stops its processes: the abort rejects whatever step the run is waiting on.
  const aborted = new Promise<never>((_, reject) =>
    options.signal?.addEventListener('abort', () => reject(new Error('benchmark interrupted')), { once: true }),
  );
  aborted.catch(() => undefined);
  const orAbort = <T>(work: Promise<T>) => Promise.race([work, aborted]);
  try {
    say('starting Temporal, two sandbox pairs, Tandem and the floor');
    // Each is stopped once it has started; when one fails, the run waits for the others before it tears down, so
    // none is left running (they used to be).
    const stopLater = <T extends { stop(): Promise<unknown> }>(starting: Promise<T>) =>
      starting.then((started) => {
        teardown.add(() => started.stop());
        return started;
      });
    const starts = [
      stopLater(
        provideTemporal({
          address: options.temporal,
          namespace: options.namespace,
          dynamicConfig: options.dynamicConfig,
          persist: options.persist,
        }),
      ),
      stopLater(startSandboxPair('tandem')),
      stopLater(startSandboxPair('floor')),
    ] as const;
    const [temporal, tandemPair, floorPair] = await Promise.all(starts).catch(async (err: unknown) => {
      await Promise.allSettled(starts);
      throw err;
    });
    await Promise.all([tandemPair.setLatency(options.latencyMs), floorPair.setLatency(options.latencyMs)]);
    const tandem: RunningTandem = await startTandem(tandemPair, {
      temporalAddress: temporal.address,
      namespace: temporal.namespace,
      workers: options.workers,
      coalesceMs: options.coalesceMs,
      rateCap: options.rateCap,
      workflowCache: options.workflowCache,
      workerHeapMiB: options.workerHeapMiB,
      compiled: options.compiled,
      conflictPolicy: options.conflictPolicy,
    });
    teardown.add(() => tandem.stop());

    say(`creating ${options.projects} projects on each pair`);
    const populateStarted = preciseNow();
    const cpuPids: Record<string, number | undefined> = {
      worker: tandem.pids.workers[0],
      cdc: tandem.pids.cdc,
      ingress: tandem.pids.ingress,
      temporalServer: temporal.serverPid,
      salesforceSandbox: tandemPair.pids.salesforce,
      procoreSandbox: tandemPair.pids.procore,
    };
    const linkingCpu = cpuMeter(cpuPids);
    const memorySeries = new LinkedMemorySeries(tandem.pids.workers, Math.max(50, Math.round(options.projects / 20)));
    const [tandemProjects, floorProjects] = await orAbort(
      Promise.all([
        populateThroughSync(tandemPair, salesforceSession(tandemPair.salesforceUrl, 'bench-setup'), options.projects, {
          window: options.linkWindow,
          // Creation and linking take about 0.2 s a project on a quiet machine; a shared one managed 2 a second.
          timeoutMs: Math.max(600_000, options.projects * 1000),
          progress: say,
          onLinked: (linked) => memorySeries.onLinked(linked),
        }),
        populateDirectly(floorPair, options.projects),
      ]),
    );
    memorySeries.sample(options.projects);
    const populateS = Math.round((preciseNow() - populateStarted) / 100) / 10;
    // The floor's pair is populated directly at the same time; its own CPU is not in these figures.
    const cpuMsPerProject = Object.fromEntries(
      Object.entries(linkingCpu.per(options.projects)).map(([role, ms]) => [role, ms === null ? null : Math.round(ms)]),
    );
    const creationCost = await withClient(temporal, (client) => linkCost(client, tandemProjects));
    const floorProcess = await startFloorProcess(floorPair);
    teardown.add(() => floorProcess.stop());

    const tandemRig = new Rig('tandem', tandemPair, tandemProjects);
    const floorRig = new Rig('floor', floorPair, floorProjects);
    await Promise.all([tandemRig.observe('tandem', logger), floorRig.observe(FLOOR_SALESFORCE_CLIENT, logger)]);
    teardown.add(() => Promise.all([tandemRig.stop(), floorRig.stop()]));
    await Promise.all([callsSettle(tandemPair, 1500, 60_000), callsSettle(floorPair, 1500, 60_000)]);

    const steps: StepReport[] = [];
    let timeline: Timeline | undefined;
    let slowest: SlowChange[] = [];
    let rate = options.rate;
    for (let i = 0; i < (options.ramp ? options.maxRampSteps : 1); i++) {
      say(
        `measuring ${rate} changes/s for ${options.durationS} s${options.burst > 1 ? ` (bursts of ${options.burst} edits)` : ''}`,
      );
      const stepCpu = cpuMeter({
        ...cpuPids,
        floor: floorProcess.child.pid,
        floorSalesforceSandbox: floorPair.pids.salesforce,
        floorProcoreSandbox: floorPair.pids.procore,
      });
      const measured = await orAbort(measureStep(tandemRig, floorRig, stepSettings(options, rate, i)));
      const step = { ...measured, cpuMsPerChange: stepCpu.per(measured.changes) };
      steps.push(step);
      // The first step is the least loaded: its histories show the fixed costs best.
      timeline ??= await historyTimeline(temporal, step, tandemRig);
      // The last step's outliers (each step has its own tracker): the ones that stop a ramp.
      slowest = await withClient(temporal, (client) =>
        slowestChanges(client, tandemRig.tracker.samples, tandemRig.projects),
      );
      say(`  Tandem p99 ${worstP99(step)} ms, ${step.tandem.missing} missing`);
      if (!withinLimit(step, options.p99LimitMs)) break;
      rate = Math.round(rate * options.rampFactor * 2) / 2;
    }

    say('measuring what Temporal holds');
    const histories = await withClient(temporal, historySize);
    const settings: BenchSettings = {
      rate: options.rate,
      durationS: options.durationS,
      projects: options.projects,
      burst: options.burst,
      burstSpacingMs: BURST_SPACING_MS,
      workers: options.workers,
      latencyMs: options.latencyMs,
      coalesceMs: options.coalesceMs,
      ramp: options.ramp,
      rateCap: options.rateCap,
      temporal: options.temporal ? temporal.address : `own dev server ${temporal.address}`,
      namespace: temporal.namespace,
      dynamicConfig: options.dynamicConfig,
      workflowCache: options.workflowCache ?? null,
      workerHeapMiB: options.workerHeapMiB ?? null,
      linkWindow: options.linkWindow,
      compiled: options.compiled,
      conflictPolicy: options.conflictPolicy ?? null,
      p99LimitMs: options.p99LimitMs,
    };
    const passed = steps.find((s) => !withinLimit(s, options.p99LimitMs));
    const within = steps.filter((s) => withinLimit(s, options.p99LimitMs));
    return {
      startedAt: startedAt.toISOString(),
      wallTimeS: Math.round((Date.now() - startedAt.getTime()) / 1000),
      machine: machine(loadAtStart),
      settings,
      setup: {
        populateS,
        linkedPerSecond: Math.round((options.projects / Math.max(populateS, 0.1)) * 10) / 10,
        workerMemoryByLinked: memorySeries.points,
        cpuMsPerProject,
        linkCost: creationCost,
      },
      steps,
      ...(options.ramp
        ? {
            ramp: {
              p99PassesLimitAt: passed?.rate ?? null,
              lastRateWithin: within[within.length - 1]?.rate ?? null,
            },
          }
        : {}),
      memory: {
        workers: tandem.pids.workers.map(peakRssMiB),
        cdc: peakRssMiB(tandem.pids.cdc),
        ingress: peakRssMiB(tandem.pids.ingress),
        temporalServer: peakRssMiB(temporal.serverPid),
        floor: peakRssMiB(floorProcess.child.pid),
        temporalPersistenceMiB: temporal.persistenceMiB(),
      },
      histories,
      timeline: timeline ?? { salesforceToProcore: [], procoreToSalesforce: [] },
      slowest,
    };
  } finally {
    await teardown.run();
  }
}
