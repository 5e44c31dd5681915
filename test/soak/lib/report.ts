/**
 * What a soak run found, and the table it prints. A run passes with no divergence, duplicate or orphan Procore
 * project, unlinked record, lost edit, loop (quiescence not reached, or writes after it) or, on the dev server,
 * workflow task failed as nondeterministic. A conflict whose edits' news a fault delayed is decided by read times
 * (late-news.ts): its lost edit is listed, and is no failure.
 */
import type { ConflictPolicy } from '../../../mappings/types';
import type { FaultSpan } from './chaos';
import type { Comparison } from './compare';

export interface SoakReport {
  seed: number;
  /** The one conflict policy of every field (`--conflict-policy`); the shipped mapping's when absent. */
  conflictPolicy?: ConflictPolicy;
  durationS: number;
  projects: { upfront: number; createdDuringRun: number };
  rate: number;
  edits: { total: number; byChannel: Record<string, number>; conflicts: number; failed: number };
  faults: Record<string, number>;
  /** When each fault was in force, to explain a diverged or lost field by the faults around its last edits. */
  faultTimeline: FaultSpan[];
  /** Epoch ms when the edits began: edit and fault times in the table count from here. */
  startedAt: number;
  quiescence: { reached: boolean; afterMs: number; busy?: string; waitedOnTemporal: number };
  comparison: Comparison;
  /** Tandem's own view of each pair (operator API), by status; `syncedButDiverged` are pairs it calls synced. */
  tandemStatuses: Record<string, number>;
  syncedButDiverged: number;
  apiCalls: { salesforce: number; procore: number; perEdit: number };
  /** `routes`: which writes (absent in reports made before it was kept). */
  writesAfterQuiescence: { salesforce: number; procore: number; routes?: string[] };
  loop: boolean;
  /** On the cluster (`--cluster`): the workflows the run left, and how many of them the new build extended. */
  newBuild?: { workflows: number; withMarker: number; nondeterministicTasks: number };
  /** On the dev server, where no roll excuses one: workflow tasks that failed as nondeterministic, and their runs. */
  nondeterministic?: { tasks: number; runs: string[] };
  ok: boolean;
}

export function verdict(report: Omit<SoakReport, 'ok'>): boolean {
  const c = report.comparison;
  const problems = [c.diverged, c.duplicates, c.orphanProcoreProjects, c.unlinked, c.lostEdits];
  // A rolling deploy that left no trace of the new build did not deploy it.
  const deployed = !report.newBuild || report.newBuild.withMarker > 0;
  const replays = (report.nondeterministic?.tasks ?? 0) === 0;
  return !report.loop && deployed && replays && problems.every((list) => list.length === 0);
}

const MAX_LISTED = 15;

function listed<T>(items: T[], line: (item: T) => string): string[] {
  const lines = items.slice(0, MAX_LISTED).map((item) => `    ${line(item)}`);
  if (items.length > MAX_LISTED) lines.push(`    … and ${items.length - MAX_LISTED} more`);
  return lines;
}

const show = (value: unknown) => JSON.stringify(value);
const seconds = (ms: number, digits = 1) => `${(ms / 1000).toFixed(digits)} s`;
const counts = (byKind: Record<string, number>) =>
  Object.entries(byKind)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
const SHORT_CHANNEL: Record<string, string> = {
  salesforceConsole: 'sfUi',
  salesforceApi: 'sfApi',
  procoreConsole: 'pcUi',
  salesforceCreate: 'sfNew',
};

/** Faults in force within a second of `at`. */
function faultsAround(at: number, timeline: FaultSpan[]): string {
  const kinds = new Set(timeline.filter((f) => f.from - 1000 <= at && at <= f.to + 1000).map((f) => f.kind));
  return kinds.size ? ` [${[...kinds].join(', ')}]` : '';
}

type Run = Pick<SoakReport, 'startedAt' | 'faultTimeline'>;

/** `sfApi "c12" @80.1 s, pcUi "c13" @80.4 s [dropWebhooks]`: a field's last edits (seconds into the run), with the
 * faults around each. */
function edits(history: Array<{ channel: string; value: unknown; at: number }>, run: Run): string {
  const edit = (e: (typeof history)[number]) => {
    const channel = SHORT_CHANNEL[e.channel] ?? e.channel;
    return `${channel} ${show(e.value)} @${seconds(e.at - run.startedAt)}${faultsAround(e.at, run.faultTimeline)}`;
  };
  return history.map(edit).join(', ');
}

const bySystem = (n: { salesforce: number; procore: number }) => `Salesforce ${n.salesforce}, Procore ${n.procore}`;

function lostLine(l: Comparison['lostEdits'][number], run: Run): string {
  return `${l.salesforceId} ${l.field}: both hold ${show(l.value)} (edits: ${edits(l.lastEdits, run)})${trail(l.trail)}`;
}

/** The sync's trail (sync-trail.ts) under its pair, indented. */
const trail = (lines: string[] | undefined) => (lines?.length ? lines.map((l) => `\n        ${l}`).join('') : '');

function quiescence(q: SoakReport['quiescence']): string {
  if (q.reached) return `reached after ${seconds(q.afterMs)} (waited on Temporal work ${q.waitedOnTemporal}×)`;
  return `NOT reached in ${seconds(q.afterMs, 0)} (${q.busy ?? 'API calls kept coming'})`;
}

function divergedLine(d: Comparison['diverged'][number], run: Run): string {
  const fields = d.fields.map(
    (f) => `${f.field} sf=${show(f.salesforce)} pc=${show(f.procore)} (edits: ${edits(f.lastEdits, run)})`,
  );
  return `${d.salesforceId} ↔ ${d.procoreId}: ${fields.join('; ')}${trail(d.trail)}`;
}

export function formatReport(r: SoakReport): string {
  const c = r.comparison;
  const writes = r.writesAfterQuiescence;
  const statuses = counts(r.tandemStatuses) || 'unknown';
  const projects = `${r.projects.upfront} + ${r.projects.createdDuringRun} projects`;
  const lines = [
    `soak: seed ${r.seed}, ${r.durationS} s, ${projects}, ${r.rate} edits/s${r.newBuild ? ', on the cluster' : ''}${r.conflictPolicy ? `, every field ${r.conflictPolicy}` : ''}`,
    `  edits made              ${r.edits.total} (${counts(r.edits.byChannel)}); ` +
      `same-field conflicts ${r.edits.conflicts}; failed attempts ${r.edits.failed}`,
    `  faults injected         ${counts(r.faults) || 'none'}`,
    `  quiescence              ${quiescence(r.quiescence)}`,
    `  pairs compared          ${c.pairsCompared}`,
    `  pairs diverged          ${c.diverged.length}`,
    ...listed(c.diverged, (d) => divergedLine(d, r)),
    `  lost edits              ${c.lostEdits.length}`,
    ...listed(c.lostEdits, (l) => lostLine(l, r)),
    `  conflicts after late news ${c.lostEditsAfterLateNews.length} (decided by read times; either edit may win)`,
    // Their trails stay in the JSON report: such conflicts are common and lawful.
    ...listed(c.lostEditsAfterLateNews, (l) => `${lostLine({ ...l, trail: undefined }, r)}: ${l.lateNews ?? ''}`),
    `  duplicate Procore projects ${c.duplicates.length}`,
    ...listed(c.duplicates, (d) => `${d.salesforceId}: ${d.procoreIds.join(', ')}`),
    `  orphan Procore projects ${c.orphanProcoreProjects.length} (linked to no Salesforce record)`,
    `  unlinked records        ${c.unlinked.length}`,
    ...listed(c.unlinked, (u) => `${u.salesforceId}: ${u.why}`),
    `  Tandem's statuses       ${statuses}; synced but diverged ${r.syncedButDiverged}`,
    `  API calls per edit      ${r.apiCalls.perEdit.toFixed(2)} (${bySystem(r.apiCalls)})`,
    `  writes after quiescence ${writes.salesforce + writes.procore} (${bySystem(writes)})` +
      (writes.routes?.length ? `: ${writes.routes.join(', ')}` : ''),
    `  loop                    ${r.loop ? 'YES' : 'no'}`,
    ...(r.nondeterministic
      ? [`  nondeterministic tasks  ${r.nondeterministic.tasks}`, ...listed(r.nondeterministic.runs, (run) => run)]
      : []),
    ...(r.newBuild
      ? [
          `  new build's histories   ${r.newBuild.withMarker} of ${r.newBuild.workflows} workflows carry its patch marker; ` +
            `workflow tasks failed as nondeterministic ${r.newBuild.nondeterministicTasks}`,
        ]
      : []),
    r.ok ? 'soak: PASS' : 'soak: FAIL',
  ];
  return lines.join('\n');
}
