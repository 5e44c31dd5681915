/**
 * What a soak run found, and the table it prints. A run passes with no divergence, duplicate or orphan Procore
 * project, unlinked record, lost edit or loop (quiescence not reached, or writes after it).
 */
import type { FaultSpan } from './chaos';
import type { Comparison } from './compare';

export interface SoakReport {
  seed: number;
  durationS: number;
  projects: { upfront: number; createdDuringRun: number };
  rate: number;
  edits: { total: number; byChannel: Record<string, number>; conflicts: number; failed: number };
  faults: Record<string, number>;
  /** When each fault was in force, to explain a diverged or lost field by the faults around its last edits. */
  faultTimeline: FaultSpan[];
  quiescence: { reached: boolean; afterMs: number; busy?: string; waitedOnTemporal: number };
  comparison: Comparison;
  /** Tandem's own view of each pair (operator API), by status; `syncedButDiverged` are pairs it calls synced. */
  tandemStatuses: Record<string, number>;
  syncedButDiverged: number;
  apiCalls: { salesforce: number; procore: number; perEdit: number };
  writesAfterQuiescence: { salesforce: number; procore: number };
  loop: boolean;
  ok: boolean;
}

export function verdict(report: Omit<SoakReport, 'ok'>): boolean {
  const c = report.comparison;
  const problems = [c.diverged, c.duplicates, c.orphanProcoreProjects, c.unlinked, c.lostEdits];
  return !report.loop && problems.every((list) => list.length === 0);
}

const MAX_LISTED = 15;

function listed<T>(items: T[], line: (item: T) => string): string[] {
  const lines = items.slice(0, MAX_LISTED).map((item) => `    ${line(item)}`);
  if (items.length > MAX_LISTED) lines.push(`    … and ${items.length - MAX_LISTED} more`);
  return lines;
}

const show = (value: unknown) => JSON.stringify(value);

/** Faults in force within a second of `at`. */
function faultsAround(at: number, timeline: FaultSpan[]): string {
  const kinds = new Set(timeline.filter((f) => f.from - 1000 <= at && at <= f.to + 1000).map((f) => f.kind));
  return kinds.size ? ` [${[...kinds].join(', ')}]` : '';
}

/** `sfApi "c12" +0.0 s, pcUi "c13" +0.4 s [dropWebhooks]`: a field's last edits, with the faults around each. */
function edits(history: Array<{ channel: string; value: unknown; at: number }>, timeline: FaultSpan[]): string {
  const first = history[0]?.at ?? 0;
  const short: Record<string, string> = {
    salesforceConsole: 'sfUi',
    salesforceApi: 'sfApi',
    procoreConsole: 'pcUi',
    salesforceCreate: 'sfNew',
  };
  return history
    .map(
      (e) =>
        `${short[e.channel] ?? e.channel} ${show(e.value)} +${((e.at - first) / 1000).toFixed(1)} s${faultsAround(e.at, timeline)}`,
    )
    .join(', ');
}

export function formatReport(r: SoakReport): string {
  const c = r.comparison;
  const writesAfter = r.writesAfterQuiescence.salesforce + r.writesAfterQuiescence.procore;
  const lines = [
    `soak: seed ${r.seed}, ${r.durationS} s, ${r.projects.upfront} + ${r.projects.createdDuringRun} projects, ${r.rate} edits/s`,
    `  edits made              ${r.edits.total} (${Object.entries(r.edits.byChannel)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}); ` + `same-field conflicts ${r.edits.conflicts}; failed attempts ${r.edits.failed}`,
    `  faults injected         ${Object.entries(r.faults)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
    `  quiescence              ${r.quiescence.reached ? `reached after ${(r.quiescence.afterMs / 1000).toFixed(1)} s (waited on Temporal work ${r.quiescence.waitedOnTemporal}×)` : `NOT reached in ${(r.quiescence.afterMs / 1000).toFixed(0)} s (${r.quiescence.busy ?? 'API calls kept coming'})`}`,
    `  pairs compared          ${c.pairsCompared}`,
    `  pairs diverged          ${c.diverged.length}`,
    ...listed(
      c.diverged,
      (d) =>
        `${d.salesforceId} ↔ ${d.procoreId}: ${d.fields.map((f) => `${f.field} sf=${show(f.salesforce)} pc=${show(f.procore)} (edits: ${edits(f.lastEdits, r.faultTimeline)})`).join('; ')}`,
    ),
    `  lost edits              ${c.lostEdits.length}`,
    ...listed(
      c.lostEdits,
      (l) => `${l.salesforceId} ${l.field}: both hold ${show(l.value)} (edits: ${edits(l.lastEdits, r.faultTimeline)})`,
    ),
    `  duplicate Procore projects ${c.duplicates.length}`,
    ...listed(c.duplicates, (d) => `${d.salesforceId}: ${d.procoreIds.join(', ')}`),
    `  unlinked records        ${c.unlinked.length} (Procore projects no record names: ${c.orphanProcoreProjects.length})`,
    ...listed(c.unlinked, (u) => `${u.salesforceId}: ${u.why}`),
    `  Tandem's statuses       ${
      Object.entries(r.tandemStatuses)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'unknown'
    }; synced but diverged ${r.syncedButDiverged}`,
    `  API calls per edit      ${r.apiCalls.perEdit.toFixed(2)} (Salesforce ${r.apiCalls.salesforce}, Procore ${r.apiCalls.procore})`,
    `  writes after quiescence ${writesAfter} (Salesforce ${r.writesAfterQuiescence.salesforce}, Procore ${r.writesAfterQuiescence.procore})`,
    `  loop                    ${r.loop ? 'YES' : 'no'}`,
    r.ok ? 'soak: PASS' : 'soak: FAIL',
  ];
  return lines.join('\n');
}
