/**
 * `npm run bench -- [--rate N] [--duration S] [--projects N] [--burst [--burst-edits N]] [--workers N]
 *   [--latency-ms MS] [--ramp] [--coalesce-ms MS] [--temporal HOST:PORT] [--json PATH]
 *   [--dynamic-config KEY=VALUE …] [--rate-cap N] [--workflow-cache N] [--worker-heap-mib N] [--persist]
 *   [--p99-limit-ms MS] [--link-window N] [--compiled] [--conflict-policy latest|salesforce-wins|procore-wins]`
 * Prints the table on stdout (progress on stderr) and writes the report to bench/results/<timestamp>.json.
 * `npm run bench -- --backfill [--records N] [--seed S] [--temporal HOST:PORT] [--json PATH]
 *   [--procore-hourly-limit N]`: a backfill instead.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CONFLICT_POLICIES, type ConflictPolicy } from '../mappings/types';
import { DEFAULT_OPTIONS, runBenchmark, type BenchOptions } from './lib/benchmark';
import { formatReport } from './lib/report';
import { formatBackfillReport, runBackfillBench, writeBackfillReport } from './backfill';

const DEFAULT_BURST_EDITS = 5;

function positive(value: string | undefined, flag: string, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new Error(`${flag} must be a positive ${integer ? 'integer' : 'number'}, not '${value}'`);
  return n;
}

function nonNegative(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a non-negative integer, not '${value}'`);
  return n;
}

/** `key=value`, the value read as JSON when it parses (numbers, booleans), else as a string. */
function dynamicConfig(pairs: string[]): Record<string, unknown> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new Error(`--dynamic-config takes KEY=VALUE, not '${pair}'`);
      const raw = pair.slice(at + 1);
      try {
        return [pair.slice(0, at), JSON.parse(raw) as unknown];
      } catch {
        return [pair.slice(0, at), raw];
      }
    }),
  );
}

function conflictPolicy(value: string): ConflictPolicy {
  const policy = CONFLICT_POLICIES.find((p) => p === value);
  if (!policy) throw new Error(`--conflict-policy must be one of ${CONFLICT_POLICIES.join(', ')}, not '${value}'`);
  return policy;
}

function parse(argv: string[]): { options: Partial<BenchOptions>; jsonPath?: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      rate: { type: 'string' },
      duration: { type: 'string' },
      projects: { type: 'string' },
      burst: { type: 'boolean' },
      'burst-edits': { type: 'string' },
      workers: { type: 'string' },
      'latency-ms': { type: 'string' },
      ramp: { type: 'boolean' },
      'coalesce-ms': { type: 'string' },
      temporal: { type: 'string' },
      namespace: { type: 'string' },
      json: { type: 'string' },
      'dynamic-config': { type: 'string', multiple: true },
      'rate-cap': { type: 'string' },
      'workflow-cache': { type: 'string' },
      'worker-heap-mib': { type: 'string' },
      persist: { type: 'boolean' },
      'link-window': { type: 'string' },
      compiled: { type: 'boolean' },
      'p99-limit-ms': { type: 'string' },
      'conflict-policy': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const d = DEFAULT_OPTIONS;
  return {
    jsonPath: values.json,
    options: {
      rate: positive(values.rate, '--rate', d.rate),
      durationS: positive(values.duration, '--duration', d.durationS),
      projects: positive(values.projects, '--projects', d.projects, true),
      burst: values.burst ? positive(values['burst-edits'], '--burst-edits', DEFAULT_BURST_EDITS, true) : 1,
      workers: positive(values.workers, '--workers', d.workers, true),
      latencyMs: nonNegative(values['latency-ms'], '--latency-ms', d.latencyMs),
      coalesceMs: nonNegative(values['coalesce-ms'], '--coalesce-ms', d.coalesceMs),
      ramp: values.ramp ?? false,
      temporal: values.temporal,
      namespace: values.namespace,
      dynamicConfig: dynamicConfig(values['dynamic-config'] ?? []),
      rateCap: positive(values['rate-cap'], '--rate-cap', d.rateCap),
      ...(values['workflow-cache'] === undefined
        ? {}
        : { workflowCache: nonNegative(values['workflow-cache'], '--workflow-cache', 0) }),
      ...(values['worker-heap-mib'] === undefined
        ? {}
        : { workerHeapMiB: positive(values['worker-heap-mib'], '--worker-heap-mib', 0, true) }),
      persist: values.persist ?? false,
      linkWindow: positive(values['link-window'], '--link-window', d.linkWindow, true),
      compiled: values.compiled ?? false,
      p99LimitMs: positive(values['p99-limit-ms'], '--p99-limit-ms', d.p99LimitMs, true),
      ...(values['conflict-policy'] === undefined ? {} : { conflictPolicy: conflictPolicy(values['conflict-policy']) }),
    },
  };
}

async function backfillMain(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      backfill: { type: 'boolean' },
      records: { type: 'string' },
      seed: { type: 'string' },
      temporal: { type: 'string' },
      json: { type: 'string' },
      'procore-hourly-limit': { type: 'string' },
    },
    strict: true,
  });
  const report = await runBackfillBench(
    {
      records: positive(values.records, '--records', 5000, true),
      seed: positive(values.seed, '--seed', 13, true),
      temporal: values.temporal,
      ...(values['procore-hourly-limit'] === undefined
        ? {}
        : { procoreHourlyLimit: positive(values['procore-hourly-limit'], '--procore-hourly-limit', 3600, true) }),
    },
    (line) => process.stderr.write(`[bench] ${line}\n`),
  );
  const file = writeBackfillReport(report, values.json);
  process.stdout.write(`${formatBackfillReport(report)}\nreport: ${path.relative(process.cwd(), file)}\n`);
  return report.duplicatesCreated === 0 && report.secondRunNoOp ? 0 : 1;
}

async function main(): Promise<number> {
  if (process.argv.includes('--backfill')) return backfillMain(process.argv.slice(2));
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n`);
    return 2;
  }
  // Ctrl-C (or a SIGTERM) stops the run and its processes; a second one leaves at once.
  const stop = new AbortController();
  const interrupt = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) process.exit(130);
    process.stderr.write(`[bench] ${signal}: stopping every process the benchmark started\n`);
    stop.abort();
  };
  process.on('SIGINT', interrupt).on('SIGTERM', interrupt);
  const report = await runBenchmark({
    ...parsed.options,
    signal: stop.signal,
    progress: (line) => process.stderr.write(`[bench] ${line}\n`),
  });
  const file = parsed.jsonPath ?? path.join(__dirname, 'results', `${report.startedAt.replace(/[:.]/g, '-')}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${formatReport(report)}\nreport: ${path.relative(process.cwd(), file)}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
