/**
 * `npm run bench -- --backfill [--records N] [--seed S] [--temporal HOST:PORT] [--procore-hourly-limit N]`: a
 * backfill of seeded systems of about N records a side (default 5,000), run as an operator runs it: both sandboxes
 * and Tandem's three processes, `tandem backfill --dry-run`, then `tandem backfill`, until every pair is linked,
 * every Salesforce-only record has its Procore project and the API calls stand still. Reports the times, the plan's
 * figures, the duplicates found (there must be none), the API calls by route and per action, and peak memory.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackfillPlan } from '../mappings/matching/types';
import { eventually } from '../test/support/eventually';
import { startSystem, type RunningSystem } from '../test/support/system';
import {
  callsBetween,
  callsSettle,
  readApiCalls,
  totalOf,
  type ApiCallCounts,
  type RouteCounts,
} from './lib/api-calls';
import { peakRssMiB } from './lib/memory';
import { provideTemporal } from './lib/temporal';

export interface BackfillBenchOptions {
  records: number;
  seed: number;
  temporal?: string;
  /** The Procore sandbox's calls an hour (Procore's default, 3,600, when absent). */
  procoreHourlyLimit?: number;
}

/** How long the API calls must stand still before the run counts as settled. */
const QUIET_MS = 20_000;
const SETTLE_TIMEOUT_MS = 4 * 3_600_000;

const ROOT = path.resolve(__dirname, '..');

function tandem(system: RunningSystem, args: string[]): Promise<{ code: number | null; stdout: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'tandem.js'), ...args], {
    env: { ...process.env, ...system.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, ms: Date.now() - started })));
}

async function plan(system: RunningSystem, dir: string): Promise<{ plan: BackfillPlan; ms: number }> {
  const run = await tandem(system, ['backfill', '--dry-run', '--out', dir]);
  if (run.code !== 0) throw new Error(`dry run failed:\n${run.stdout}`);
  return { plan: JSON.parse(readFileSync(path.join(dir, 'backfill-plan.json'), 'utf8')) as BackfillPlan, ms: run.ms };
}

/** Calls of the bench's own dry runs are taken out of the counts: what is left is Tandem's. */
class OwnDryRuns {
  private deltas: ApiCallCounts[] = [];

  async run(system: RunningSystem, dir: string): Promise<{ plan: BackfillPlan; ms: number }> {
    const before = await readApiCalls(system);
    const result = await plan(system, dir);
    this.deltas.push(callsBetween(before, await readApiCalls(system)));
    return result;
  }

  /** What the dry runs so far spent, but for the last `leaveOut` (those after the window closed); then forgets. */
  take(leaveOut = 0): ApiCallCounts {
    const spent: ApiCallCounts = { salesforce: {}, procore: {} };
    for (const delta of this.deltas.slice(0, this.deltas.length - leaveOut))
      for (const side of ['salesforce', 'procore'] as const)
        for (const [route, n] of Object.entries(delta[side])) spent[side][route] = (spent[side][route] ?? 0) + n;
    this.deltas = [];
    return spent;
  }
}

function perAction(counts: RouteCounts, actions: number): number {
  return actions > 0 ? Math.round((totalOf(counts) / actions) * 100) / 100 : 0;
}

function peakMemory(system: RunningSystem, temporalPid: number | undefined): Record<string, number | null> {
  const pids: Record<string, number | undefined> = { ...system.pids?.(), temporalServer: temporalPid };
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, peakRssMiB(pid)]));
}

export async function runBackfillBench(options: BackfillBenchOptions, progress: (line: string) => void) {
  const temporal = await provideTemporal({ address: options.temporal });
  const out = mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-backfill-'));
  const hourly = options.procoreHourlyLimit;
  const system = await startSystem(
    temporal.namespace,
    { LOG_LEVEL: 'warn' },
    {
      temporalAddress: temporal.address,
      label: 'bench-backfill',
      sandboxArgs: ['--seed', String(options.seed), '--seed-size', String(options.records)],
      procoreSandboxArgs: hourly ? ['--hourly-limit', String(hourly)] : [],
    },
  );
  const own = new OwnDryRuns();
  try {
    progress(`systems up; dry run over ~${options.records} records a side`);
    const dry = await own.run(system, path.join(out, 'dry'));
    const actions = dry.plan.toLink.length + dry.plan.toCreateInProcore.length;
    progress(`plan: ${dry.plan.toLink.length} to link, ${dry.plan.toCreateInProcore.length} to create in Procore`);
    own.take();
    const before = await readApiCalls(system);
    const loadBefore = os.loadavg()[0];
    const started = Date.now();
    const run = await tandem(system, ['backfill', '--out', path.join(out, 'run')]);
    const workflowMs = Date.now() - started;
    if (run.code !== 0) throw new Error(`backfill failed:\n${run.stdout}`);
    progress(`backfill workflow done in ${workflowMs} ms; waiting for the syncs to settle`);
    let settledAt = Date.now();
    let settledCalls = before;
    const after = await eventually(
      async () => {
        settledCalls = await callsSettle(system, QUIET_MS, SETTLE_TIMEOUT_MS);
        settledAt = Date.now() - QUIET_MS;
        const next = await own.run(system, path.join(out, 'after'));
        return next.plan.toLink.length === 0 && next.plan.toCreateInProcore.length === 0 ? next.plan : undefined;
      },
      'every pair linked, every Salesforce-only record created, the API calls standing still',
      SETTLE_TIMEOUT_MS,
      5000,
    );
    const settledMs = settledAt - started;
    // The last dry run came after the window closed.
    const calls = callsBetween(before, settledCalls, own.take(1));
    const again = await tandem(system, ['backfill', '--out', path.join(out, 'again')]);
    return {
      kind: 'backfill',
      startedAt: new Date(started).toISOString(),
      procoreHourlyLimit: hourly ?? 3600,
      loadAverage: { before: loadBefore, after: os.loadavg()[0] },
      records: { salesforce: dry.plan.counts.salesforce, procore: dry.plan.counts.procore },
      plan: {
        linked: dry.plan.linked.length,
        toLink: dry.plan.toLink.length,
        toCreateInProcore: dry.plan.toCreateInProcore.length,
        toCreateInSalesforce: dry.plan.toCreateInSalesforce.length,
        ambiguous: dry.plan.ambiguous.length,
      },
      dryRunMs: dry.ms,
      workflowMs,
      settledMs,
      apiCalls: {
        actions,
        procore: {
          total: totalOf(calls.procore),
          perAction: perAction(calls.procore, actions),
          byRoute: calls.procore,
        },
        salesforce: {
          total: totalOf(calls.salesforce),
          perAction: perAction(calls.salesforce, actions),
          byRoute: calls.salesforce,
        },
      },
      peakRssMiB: peakMemory(system, temporal.serverPid),
      procoreProjectsAfter: after.counts.procore,
      ambiguousAfter: after.ambiguous.length,
      duplicatesCreated: after.counts.procore - dry.plan.counts.procore - dry.plan.toCreateInProcore.length,
      secondRunNoOp: again.code === 0 && again.stdout.includes('Nothing to do'),
    };
  } finally {
    await system.stop();
    await temporal.stop();
  }
}

export type BackfillBenchReport = Awaited<ReturnType<typeof runBackfillBench>>;

export function formatBackfillReport(r: BackfillBenchReport): string {
  const rows: Array<[string, string]> = [
    ['Records (Salesforce / Procore)', `${r.records.salesforce} / ${r.records.procore}`],
    ['Already linked', String(r.plan.linked)],
    ['Pairs linked', String(r.plan.toLink)],
    ['Created in Procore', String(r.plan.toCreateInProcore)],
    ['Procore-only (reported)', String(r.plan.toCreateInSalesforce)],
    ['Ambiguous (left alone)', String(r.plan.ambiguous)],
    ['Dry run (read both, match, report)', `${(r.dryRunMs / 1000).toFixed(1)} s`],
    ['Backfill workflow', `${(r.workflowMs / 1000).toFixed(1)} s`],
    ['Until every sync settled', `${(r.settledMs / 1000).toFixed(1)} s`],
    ['Duplicate Procore projects', String(r.duplicatesCreated)],
    ['Ambiguous after the run', String(r.ambiguousAfter)],
    ['Second run a no-op', r.secondRunNoOp ? 'yes' : 'NO'],
    ['Procore hourly limit', String(r.procoreHourlyLimit)],
    ['Load average (before / after)', `${r.loadAverage.before.toFixed(1)} / ${r.loadAverage.after.toFixed(1)}`],
    ...callRows('Procore', r.apiCalls.procore, r.apiCalls.actions),
    ...callRows('Salesforce', r.apiCalls.salesforce, r.apiCalls.actions),
    ...Object.entries(r.peakRssMiB).map(([name, mib]): [string, string] => [`Peak RSS ${name}`, `${mib ?? '?'} MiB`]),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

function callRows(
  system: string,
  calls: BackfillBenchReport['apiCalls']['procore'],
  actions: number,
): Array<[string, string]> {
  const routes = Object.entries(calls.byRoute).sort(([, a], [, b]) => b - a);
  return [
    [`${system} calls (per action)`, `${calls.total} (${calls.perAction} over ${actions} actions)`],
    ...routes.map(([route, n]): [string, string] => [`  ${route}`, `${n} (${perAction({ n }, actions)})`]),
  ];
}

export function writeBackfillReport(report: BackfillBenchReport, jsonPath?: string): string {
  const file = jsonPath ?? path.join(__dirname, 'results', `backfill-${report.startedAt.replace(/[:.]/g, '-')}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
