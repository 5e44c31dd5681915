/** What a benchmark run reports: the JSON file's shape, and the table printed on stdout. */
import type { ConflictPolicy } from '../../mappings/types';
import type { ApiCallCounts } from './api-calls';
import type { HistoryFigures } from './history-size';
import type { LatencySummary } from './latency';
import type { LinkCost } from './link-cost';
import type { LinkedMemoryPoint } from './memory';
import type { Direction } from './systems';
import type { SlowChange, Timeline } from './timeline';

export interface BenchSettings {
  rate: number;
  durationS: number;
  projects: number;
  /** Edits per change (1 unless --burst). */
  burst: number;
  burstSpacingMs: number;
  workers: number;
  latencyMs: number;
  coalesceMs: number;
  ramp: boolean;
  rateCap: number;
  temporal: string;
  namespace: string;
  dynamicConfig: Record<string, unknown>;
  /** The sync worker's `TANDEM_WORKFLOW_CACHE` (Tandem's default when null). */
  workflowCache: number | null;
  /** The sync workers' `--max-old-space-size` (Node's default when null). */
  workerHeapMiB: number | null;
  /** Records created and not yet linked, at most, while populating. */
  linkWindow: number;
  /** Tandem ran from dist/ (compiled), not through tsx. */
  compiled: boolean;
  /** One conflict policy for every field (`--conflict-policy`); the shipped mapping's own when null or absent. */
  conflictPolicy?: ConflictPolicy | null;
  /** The ramp stops at the first step whose Tandem p99 passes this. */
  p99LimitMs: number;
}

export interface SyncFigures {
  latency: Record<Direction, LatencySummary>;
  expected: number;
  observed: number;
  missing: number;
  /** Values of superseded burst edits that reached the other side anyway. */
  intermediateObserved: number;
  /** Changes delivered per second, from the first edit to the last arrival. */
  sustainedPerSecond: number;
  /** REST calls during the window (streaming polls and the benchmark's own reads left out). */
  apiCalls: ApiCallCounts;
  apiCallsPerChange: { salesforce: number; procore: number };
  apiCallsPerEdit: { salesforce: number; procore: number };
}

export interface StepReport {
  rate: number;
  durationS: number;
  changes: number;
  editsPerPair: number;
  failedEdits: number;
  tandem: SyncFigures;
  floor: SyncFigures;
  /** Tandem's latency over the floor's. */
  ratio: Record<Direction, Pick<LatencySummary, 'p50' | 'p95' | 'p99' | 'max'>>;
  /**
   * CPU milliseconds per change over the step (edits and the wait for their arrival), by process: Tandem's (worker,
   * cdc, ingress, Temporal server, its sandboxes) and the floor's (the floor, its sandboxes). Absent in older reports.
   */
  cpuMsPerChange?: Record<string, number | null>;
}

export interface MemoryFigures {
  /** Peak RSS (VmHWM) in MiB; null where it could not be read (another machine's server, not Linux). */
  workers: Array<number | null>;
  cdc: number | null;
  ingress: number | null;
  temporalServer: number | null;
  floor: number | null;
  /** Size of the dev server's SQLite files at the end (`--persist`), null when Temporal kept them in memory. */
  temporalPersistenceMiB: number | null;
}

export interface BenchReport {
  startedAt: string;
  wallTimeS: number;
  /** Load averages (1 min) at the start and the end: other work on the machine shows up in the figures. */
  machine: {
    cpu: string;
    cores: number;
    memoryGiB: number;
    node: string;
    loadAverage: { atStart: number; atEnd: number };
  };
  settings: BenchSettings;
  setup: {
    populateS: number;
    /** Projects created and linked per second through Tandem. */
    linkedPerSecond: number;
    /** The sync workers' RSS as the linked projects grew. */
    workerMemoryByLinked: LinkedMemoryPoint[];
    /** CPU milliseconds per created and linked project, by process (the first worker; null where unreadable). */
    cpuMsPerProject: Record<string, number | null>;
    /** Workflow tasks, activities … per project, from a sample of histories. */
    linkCost: LinkCost;
  };
  steps: StepReport[];
  /** Ramp mode: the first rate whose Tandem p99 passed the limit or lost a change (null if none), the last within. */
  ramp?: { p99PassesLimitAt: number | null; lastRateWithin: number | null };
  memory: MemoryFigures;
  /** Tandem's workflow histories at the end of the run: what Temporal persists, on any server. */
  histories: HistoryFigures;
  timeline: Timeline;
  /** The slowest change of the last step in each direction, milestone by milestone. */
  slowest: SlowChange[];
}

const DIRECTION_LABEL: Record<Direction, string> = {
  salesforceToProcore: 'Salesforce → Procore',
  procoreToSalesforce: 'Procore → Salesforce',
};
const ms = (x: number) => `${Math.round(x)}`;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '))
    .join('\n');
}

function stepTable(step: StepReport): string {
  const rows = [['direction', 'sync', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms']];
  for (const direction of ['salesforceToProcore', 'procoreToSalesforce'] as const) {
    const label = DIRECTION_LABEL[direction];
    for (const [name, figures] of [
      ['Tandem', step.tandem],
      ['floor', step.floor],
    ] as const) {
      const l = figures.latency[direction];
      rows.push([label, name, String(l.count), ms(l.p50), ms(l.p95), ms(l.p99), ms(l.max)]);
    }
    const r = step.ratio[direction];
    rows.push([label, 'ratio', '', `${r.p50}×`, `${r.p95}×`, `${r.p99}×`, `${r.max}×`]);
  }
  const calls = [
    ['API calls', 'per change: Salesforce', 'Procore', 'per edit: Salesforce', 'Procore', 'sustained/s', 'missing'],
  ];
  for (const [name, f] of [
    ['Tandem', step.tandem],
    ['floor', step.floor],
  ] as const) {
    calls.push([
      name,
      String(f.apiCallsPerChange.salesforce),
      String(f.apiCallsPerChange.procore),
      String(f.apiCallsPerEdit.salesforce),
      String(f.apiCallsPerEdit.procore),
      String(f.sustainedPerSecond),
      String(f.missing),
    ]);
  }
  const cpu = step.cpuMsPerChange ? `\n\n${cpuPerChangeLine(step.cpuMsPerChange)}` : '';
  return `rate ${step.rate}/s for ${step.durationS} s: ${step.changes} changes, ${step.editsPerPair} edits per pair${step.failedEdits ? `, ${step.failedEdits} edits failed` : ''}\n${table(rows)}\n\n${table(calls)}${cpu}`;
}

const FLOOR_ROLES = ['floor', 'floorSalesforceSandbox', 'floorProcoreSandbox'];

/** CPU per change by process, and what it adds up to: the cores a rate of changes needs, sandboxes included. */
function cpuPerChangeLine(cpu: Record<string, number | null>): string {
  const part = (floor: boolean) => Object.entries(cpu).filter(([role]) => FLOOR_ROLES.includes(role) === floor);
  const sum = (entries: Array<[string, number | null]>) => entries.reduce((n, [, ms]) => n + (ms ?? 0), 0);
  const list = (entries: Array<[string, number | null]>) =>
    entries.map(([role, ms]) => `${role} ${ms ?? '-'}`).join(', ');
  const [tandem, floor] = [part(false), part(true)];
  const perCore = (ms: number) => (ms > 0 ? Math.round(1000 / ms) : '-');
  return (
    `CPU ms per change: Tandem ${Math.round(sum(tandem) * 10) / 10} (${list(tandem)}); ` +
    `floor ${Math.round(sum(floor) * 10) / 10} (${list(floor)}); changes/s one core carries: Tandem ${perCore(sum(tandem))}, floor ${perCore(sum(floor))}`
  );
}

function linkCostLine(report: BenchReport): string {
  const c = report.setup.linkCost;
  const cpu = Object.entries(report.setup.cpuMsPerProject)
    .map(([role, x]) => `${role} ${x ?? 'n/a'}`)
    .join(', ');
  const byName = Object.entries(c.activitiesByName)
    .map(([name, x]) => `${name} ${x}`)
    .join(', ');
  return [
    `per project (mean of ${c.sampled}): ${c.workflowTasks} workflow tasks, ${c.activities} activities (${byName}), ${c.localActivities} local activities, ${c.signals} signals, ${c.childStarts} child starts, ${c.historyEvents} history events`,
    `CPU ms per project while linking: ${cpu}`,
  ].join('\n');
}

function memorySeries(points: LinkedMemoryPoint[]): string {
  if (points.length === 0) return '';
  const mib = (x: number | null) => (x === null ? 'n/a' : String(x));
  const rows = [['linked projects', 's', 'worker RSS MiB', 'peak so far MiB']];
  for (const p of points)
    rows.push([
      String(p.linked),
      String(p.atS),
      p.workersRssMiB.map(mib).join(', '),
      p.workersPeakMiB.map(mib).join(', '),
    ]);
  return `sync worker memory while linking:\n${table(rows)}\n`;
}

export function formatReport(report: BenchReport): string {
  const s = report.settings;
  const lines = [
    `Tandem benchmark, ${report.startedAt} (${report.wallTimeS} s): ${report.machine.cores} × ${report.machine.cpu}, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}, load average ${report.machine.loadAverage.atStart} → ${report.machine.loadAverage.atEnd}`,
    `settings: ${s.projects} projects, ${s.workers} worker(s), API latency ${s.latencyMs} ms, coalescing ${s.coalesceMs} ms, workflow cache ${s.workflowCache ?? 'default'}, worker heap ${s.workerHeapMiB ?? 'default'}, ${s.compiled ? 'compiled' : 'from source'}, conflict policy ${s.conflictPolicy ?? 'as shipped'}, burst ${s.burst}, rate caps ${s.rateCap}/s, Temporal ${s.temporal} (${s.namespace})`,
    `setup: ${report.setup.populateS} s to create and link the projects (${report.setup.linkedPerSecond}/s, at most ${s.linkWindow} waiting)`,
    linkCostLine(report),
    memorySeries(report.setup.workerMemoryByLinked),
    '',
    ...report.steps.flatMap((step) => [stepTable(step), '']),
  ];
  if (report.ramp)
    lines.push(
      `ramp: Tandem p99 passes ${s.p99LimitMs} ms (or a change goes missing) at ${report.ramp.p99PassesLimitAt ?? '(not reached)'}/s; last rate within: ${report.ramp.lastRateWithin ?? '-'}/s`,
      '',
    );
  const m = report.memory;
  const mib = (x: number | null) => (x === null ? 'n/a' : `${x} MiB`);
  lines.push(
    `peak RSS: worker ${m.workers.map(mib).join(', ')}; cdc ${mib(m.cdc)}; ingress ${mib(m.ingress)}; Temporal server ${mib(m.temporalServer)}; floor ${mib(m.floor)}`,
    `Temporal holds ${report.histories.executions} executions (${report.histories.running} running), ${report.histories.events} history events, ${report.histories.mib} MiB of history`,
    `Temporal persistence: ${m.temporalPersistenceMiB === null ? 'in memory (--persist measures it)' : `${m.temporalPersistenceMiB} MiB`}`,
    '',
  );
  for (const direction of ['salesforceToProcore', 'procoreToSalesforce'] as const) {
    const stages = report.timeline[direction];
    if (stages.length === 0) continue;
    lines.push(
      `where the time goes, ${DIRECTION_LABEL[direction]} (mean of ${stages[0]!.samples} changes, from workflow histories):`,
    );
    lines.push(table([['stage', 'ms'], ...stages.map((st) => [st.stage, String(st.meanMs)])]), '');
  }
  for (const change of report.slowest) {
    lines.push(
      `slowest change of the last step, ${DIRECTION_LABEL[change.direction]}: ${change.latencyMs} ms (${change.salesforceId})`,
    );
    if (change.milestones.length === 0) lines.push('  (its histories show no milestones)');
    else
      lines.push(
        table([['milestone', 'ms after the edit'], ...change.milestones.map((m) => [m.label, String(m.afterMs)])]),
      );
    lines.push('');
  }
  return lines.join('\n');
}
