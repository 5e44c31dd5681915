/**
 * One soak run: the real system as separate processes, projects created and linked, then random edits on both
 * sides under faults for the run's duration; then faults off, quiescence, and the field-by-field comparison.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callsBetween, readCalls, writesBetween } from './api-calls';
import { Chaos } from './chaos';
import { clusterEvents } from './cluster-events';
import { clusterSoakSystem, startClusterSoakSystem, type ClusterSoakSystem } from './cluster-system';
import type { RunningCluster } from '../../../workers/cluster/cluster';
import { buildNextBundle } from './next-build/build';
import { historyEvidence, newBuildEvidence } from './next-build/markers';
import { compareSystems, type Comparison } from './compare';
import { Editor } from './editor';
import { Ledger } from './ledger';
import { Links } from './links';
import type { SoakOptions } from './options';
import { waitForQuiet } from './quiescence';
import { People } from './people';
import { Random, sleep } from './random';
import { verdict, type SoakReport } from './report';
import { startSoakSystem, type SoakSystem } from './system';
import { countStatuses, syncedButDiverged, tandemStatuses } from './tandem-view';
import { provideTemporal } from './temporal';
import { watchTemporalWork, type TemporalWork } from './temporal-idle';
import { ValueMaker } from './values';
import { SyncTrail } from './sync-trail';
import { projectMapping, type ProjectMapping } from '../../../mappings';
import { mappingFileWithPolicy, mappingWithPolicy } from '../../support/mapping-file';

/** The mapping Tandem runs with in this soak, which the comparison judges lost edits by. */
const mappingOf = (options: SoakOptions): ProjectMapping =>
  options.conflictPolicy ? mappingWithPolicy(options.conflictPolicy) : projectMapping;

const CREATE_CONCURRENCY = 8;
/** How long edits go on after the run's own events (the cluster's) when those ended late. */
const EDITS_AFTER_EVENTS_MS = 10_000;

/** Work that runs alongside the edits and the faults (the cluster's restarts and deploy). */
type DuringRun = (chaos: Chaos, startedAt: number, deadline: number) => Promise<void>;

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const progress = options.progress ?? (() => undefined);
  if (options.cluster) {
    const builds = mkdtempSync(path.join(os.tmpdir(), 'tandem-soak-build-'));
    try {
      const system = startClusterSoakSystem(options.label, progress);
      return await runOnCluster(options, progress, system, buildNextBundle(builds));
    } finally {
      rmSync(builds, { recursive: true, force: true });
    }
  }
  const temporal = await provideTemporal(options.temporal, options.label);
  let system: SoakSystem | undefined;
  try {
    progress(`Temporal at ${temporal.address}, namespace ${temporal.namespace}; starting the sandboxes and Tandem`);
    const mappingFile = options.conflictPolicy ? mappingFileWithPolicy(options.conflictPolicy) : undefined;
    system = await startSoakSystem(temporal, options.label, options.workflowCache, mappingFile);
    const work = await watchTemporalWork(temporal);
    try {
      const { ok: _ok, ...report } = await soakOn(system, work, options, progress);
      const { nondeterministicTasks: tasks, nondeterministicRuns: runs } = await historyEvidence(temporal);
      const withEvidence = { ...report, nondeterministic: { tasks, runs } };
      return { ...withEvidence, ok: verdict(withEvidence) };
    } finally {
      await work.close();
    }
  } finally {
    await system?.stop();
    await temporal.stop();
  }
}

/**
 * The soak on a cluster that is already up (the cluster test's, made with soakClusterOverrides); it stays up.
 * `nextBundle`: buildNextBundle's, started early so that webpack runs while the cluster comes up.
 */
export async function runSoakOnCluster(
  cluster: RunningCluster,
  options: SoakOptions,
  nextBundle: Promise<string>,
): Promise<SoakReport> {
  const progress = options.progress ?? (() => undefined);
  return runOnCluster(options, progress, Promise.resolve(clusterSoakSystem(cluster)), nextBundle);
}

async function runOnCluster(
  options: SoakOptions,
  progress: (line: string) => void,
  starting: Promise<ClusterSoakSystem>,
  building: Promise<string>,
): Promise<SoakReport> {
  let system: ClusterSoakSystem | undefined;
  try {
    progress('the cluster (tandem cluster up) and the new workflow bundle');
    // Both settle before anything is thrown, so a cluster that came up is stopped even if the build failed.
    const [started, built] = await Promise.allSettled([starting, building]);
    if (started.status === 'fulfilled') system = started.value;
    if (started.status === 'rejected') throw started.reason;
    if (built.status === 'rejected') throw built.reason;
    const cluster = started.value;
    const nextBundle = built.value;
    progress(`cluster up in ${cluster.cluster.upSeconds.toFixed(1)} s; Temporal at ${cluster.temporal.address}`);
    const work = await watchTemporalWork(cluster.temporal);
    try {
      const { ok: _ok, ...report } = await soakOn(cluster, work, options, progress, (chaos, startedAt, deadline) =>
        clusterEvents(cluster, chaos, nextBundle, startedAt, deadline - startedAt, progress),
      );
      const withEvidence = { ...report, newBuild: await newBuildEvidence(cluster.temporal) };
      return { ...withEvidence, ok: verdict(withEvidence) };
    } finally {
      await work.close();
    }
  } finally {
    await system?.stop();
  }
}

async function soakOn(
  system: SoakSystem,
  work: TemporalWork,
  options: SoakOptions,
  progress: (line: string) => void,
  duringRun?: DuringRun,
): Promise<SoakReport> {
  // Independent streams, so the fault schedule does not shift when the edits draw differently.
  const [editRandom, valueRandom, chaosRandom] = [1, 2, 3].map(
    (stream) => new Random(options.seed * 7919 + stream),
  ) as [Random, Random, Random];
  const people = new People(system.salesforceUrl, system.procoreUrl);
  const ledger = new Ledger(options.conflictWindowMs);
  const links = new Links(system.salesforceUrl);
  const values = new ValueMaker(valueRandom);
  const lateCreates = Math.round(options.projects * options.lateCreateShare);
  const upfront = options.projects - lateCreates;

  progress(`creating ${upfront} projects in Salesforce and waiting for Tandem to link them`);
  const projects = await createProjects(people, ledger, values, upfront);
  await links.waitForAll(projects, 60_000 + 1000 * upfront);

  const before = await readCalls(system.salesforceUrl, system.procoreUrl);
  const ownBefore = people.salesforceApiCalls;
  const chaos = new Chaos(system, chaosRandom, options.withoutFaults);
  const startedAt = Date.now();
  const deadline = startedAt + options.durationS * 1000;
  const plan = options.faults ? chaos.plan(deadline - startedAt) : [];
  progress(
    `editing for ${options.durationS} s at ${options.rate} edits/s with ${plan.length} faults (seed ${options.seed})`,
  );
  links.follow();
  const editor = new Editor({ people, ledger, links, values, random: editRandom, projects });
  let eventsDoneAt = 0;
  try {
    await Promise.all([
      editor.run(deadline, options.rate, options.conflictShare, lateCreates),
      chaos.run(plan, startedAt, deadline),
      duringRun?.(chaos, startedAt, deadline).then(() => void (eventsDoneAt = Date.now())),
    ]);
    // On a loaded machine the cluster's events (a rolling deploy) can outlast the edits: edits go on a little after
    // them, so that what they changed (the new build) meets work before the run is judged.
    if (eventsDoneAt > deadline - EDITS_AFTER_EVENTS_MS)
      await editor.run(eventsDoneAt + EDITS_AFTER_EVENTS_MS, options.rate, options.conflictShare, 0);
  } finally {
    links.stop();
    await chaos.calm();
  }

  progress(`${ledger.edits} edits made; faults off, waiting for quiescence`);
  const quiet = await waitForQuiet(system, work, options.quietMs, options.quiescenceTimeoutMs);
  const trails = new SyncTrail(work.client, startedAt);
  const answered = (salesforceId: string) => trails.answeredProcoreReads(salesforceId);
  const comparison = await withTrails(
    await compareSystems(system.salesforceUrl, system.procoreUrl, ledger, chaos.timeline, answered, mappingOf(options)),
    trails,
  );
  const statuses = await tandemStatuses(system.ingressUrl);
  await sleep(options.afterQuietMs);
  const after = await readCalls(system.salesforceUrl, system.procoreUrl);
  const writesAfterQuiescence = writesBetween(quiet.counts, after);

  const calls = callsBetween(before, quiet.counts);
  const tandemCalls = {
    salesforce: calls.salesforce - (people.salesforceApiCalls - ownBefore),
    procore: calls.procore,
  };
  const partial: Omit<SoakReport, 'ok'> = {
    seed: options.seed,
    ...(options.conflictPolicy ? { conflictPolicy: options.conflictPolicy } : {}),
    durationS: options.durationS,
    projects: { upfront, createdDuringRun: projects.length - upfront },
    rate: options.rate,
    edits: {
      total: ledger.edits,
      byChannel: ledger.editsByChannel(),
      conflicts: ledger.conflicts,
      failed: ledger.failed,
    },
    faults: chaos.injected,
    faultTimeline: chaos.timeline,
    startedAt,
    quiescence: {
      reached: quiet.reached,
      afterMs: quiet.afterMs,
      busy: quiet.busy,
      waitedOnTemporal: quiet.waitedOnTemporal,
    },
    comparison,
    tandemStatuses: countStatuses(statuses),
    syncedButDiverged: syncedButDiverged(statuses, comparison),
    apiCalls: {
      ...tandemCalls,
      perEdit: ledger.edits ? (tandemCalls.salesforce + tandemCalls.procore) / ledger.edits : 0,
    },
    writesAfterQuiescence,
    loop: !quiet.reached || writesAfterQuiescence.salesforce + writesAfterQuiescence.procore > 0,
  };
  return { ...partial, ok: verdict(partial) };
}

async function createProjects(people: People, ledger: Ledger, values: ValueMaker, count: number): Promise<string[]> {
  const ids: string[] = [];
  let started = 0;
  const lane = async () => {
    while (started < count) {
      started += 1;
      const fields = values.full();
      const id = await people.createInSalesforce(fields);
      ledger.record(id, 'salesforceCreate', fields, Date.now());
      ids.push(id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CREATE_CONCURRENCY, count) }, lane));
  return ids;
}

/** Each failing pair and late-news conflict with its sync's trail: what the sync knew and did. */
async function withTrails(comparison: Comparison, trails: SyncTrail): Promise<Comparison> {
  const diverged = await Promise.all(
    comparison.diverged.map(async (d) => ({
      ...d,
      trail: await trails.of(
        d.salesforceId,
        d.fields.map((f) => f.field),
      ),
    })),
  );
  const withTrail = (lost: Comparison['lostEdits']) =>
    Promise.all(lost.map(async (l) => ({ ...l, trail: await trails.of(l.salesforceId, [l.field]) })));
  return {
    ...comparison,
    diverged,
    lostEdits: await withTrail(comparison.lostEdits),
    lostEditsAfterLateNews: await withTrail(comparison.lostEditsAfterLateNews),
  };
}
