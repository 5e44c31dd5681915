/**
 * `npm run bench -- --backfill [--records N] [--seed S] [--temporal HOST:PORT]`: a backfill of seeded systems of
 * about N records a side (default 5,000), run as an operator runs it: both sandboxes and Tandem's three processes,
 * `tandem backfill --dry-run`, then `tandem backfill`, until every pair is linked and every Salesforce-only record
 * has its Procore project. Reports the times, the plan's figures and the duplicates found (there must be none).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackfillPlan } from '../mappings/matching/types';
import { eventually } from '../test/support/eventually';
import { startSystem, type RunningSystem } from '../test/support/system';
import { provideTemporal } from './lib/temporal';

export interface BackfillBenchOptions {
  records: number;
  seed: number;
  temporal?: string;
}

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

export async function runBackfillBench(options: BackfillBenchOptions, progress: (line: string) => void) {
  const temporal = await provideTemporal({ address: options.temporal });
  const out = mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-backfill-'));
  const system = await startSystem(
    temporal.namespace,
    { LOG_LEVEL: 'warn' },
    {
      temporalAddress: temporal.address,
      label: 'bench-backfill',
      sandboxArgs: ['--seed', String(options.seed), '--seed-size', String(options.records)],
    },
  );
  try {
    progress(`systems up; dry run over ~${options.records} records a side`);
    const dry = await plan(system, path.join(out, 'dry'));
    progress(`plan: ${dry.plan.toLink.length} to link, ${dry.plan.toCreateInProcore.length} to create in Procore`);
    const started = Date.now();
    const run = await tandem(system, ['backfill', '--out', path.join(out, 'run')]);
    const workflowMs = Date.now() - started;
    if (run.code !== 0) throw new Error(`backfill failed:\n${run.stdout}`);
    progress(`backfill workflow done in ${workflowMs} ms; waiting for the syncs to settle`);
    const after = await eventually(
      async () => {
        const next = await plan(system, path.join(out, 'after'));
        return next.plan.toLink.length === 0 && next.plan.toCreateInProcore.length === 0 ? next.plan : undefined;
      },
      'every pair linked and every Salesforce-only record created',
      3_600_000,
      5000,
    );
    const settledMs = Date.now() - started;
    const again = await tandem(system, ['backfill', '--out', path.join(out, 'again')]);
    return {
      kind: 'backfill',
      startedAt: new Date(started).toISOString(),
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
      procoreProjectsAfter: after.counts.procore,
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
    ['Second run a no-op', r.secondRunNoOp ? 'yes' : 'NO'],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

export function writeBackfillReport(report: BackfillBenchReport, jsonPath?: string): string {
  const file = jsonPath ?? path.join(__dirname, 'results', `backfill-${report.startedAt.replace(/[:.]/g, '-')}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
