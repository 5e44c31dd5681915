/** The backfill report: a table for the terminal, and the whole plan as JSON and as CSV (one row per decision). */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BackfillPlan } from '../../mappings/matching/types';

export const SALESFORCE_CREATION_NOTE =
  'Salesforce records for Procore-only projects are created only with --create-in-salesforce.';
export const PROCORE_CREATION_OFF_NOTE =
  'Procore projects for Salesforce-only records are not created: TANDEM_CREATE_IN_PROCORE is off.';

/** What the report says of the creations the run will not make. */
export interface ReportOptions {
  /** TANDEM_CREATE_IN_PROCORE: off leaves the Salesforce-only records as they are. */
  createInProcore?: boolean;
}

export function summaryRows(plan: BackfillPlan): Array<[string, number]> {
  return [
    ['Salesforce records (live)', plan.counts.salesforce],
    ['Salesforce records (deleted)', plan.counts.salesforceDeleted],
    ['Procore projects', plan.counts.procore],
    ['Procore projects (inactive)', plan.counts.procoreInactive],
    ['Linked pairs', plan.linked.length],
    ['Pairs to link', plan.toLink.length],
    ['  with differing values', plan.toLink.filter((p) => p.differences.length > 0).length],
    ['To create in Procore', plan.toCreateInProcore.length],
    ['To create in Salesforce (--create-in-salesforce)', plan.toCreateInSalesforce.length],
    ['Ambiguous (left alone)', plan.ambiguous.length],
    ['Conflicting links (left alone)', plan.conflictingLinks.length],
    ['Linked to deleted records (left alone)', plan.linkedToDeleted.length],
  ];
}

const show = (value: unknown) => (value === null || value === undefined ? '(empty)' : String(value));

export function renderTable(plan: BackfillPlan, options: ReportOptions = {}, limit = 10): string {
  const rows = summaryRows(plan);
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [`Backfill plan (match key: ${plan.matchKey})`, ''];
  for (const [label, count] of rows) lines.push(`  ${label.padEnd(width)}  ${String(count).padStart(6)}`);
  const withDifferences = plan.toLink.filter((p) => p.differences.length > 0).slice(0, limit);
  if (withDifferences.length > 0)
    lines.push('', `Pairs to link with differing values (first ${withDifferences.length}):`);
  for (const pair of withDifferences) {
    lines.push(`  ${pair.salesforceId} <-> ${pair.procoreId} (${pair.by}${pair.key ? `: ${pair.key}` : ''})`);
    for (const d of pair.differences)
      lines.push(
        `      ${d.field}: Salesforce ${show(d.salesforce)} | Procore ${show(d.procore)} -> ${d.winner} (${d.reason})`,
      );
  }
  for (const a of plan.ambiguous.slice(0, limit))
    lines.push(`  ambiguous ${a.key}: Salesforce ${a.salesforceIds.join(', ')} | Procore ${a.procoreIds.join(', ')}`);
  if (plan.toCreateInSalesforce.length > 0) lines.push('', SALESFORCE_CREATION_NOTE);
  if (plan.toCreateInProcore.length > 0 && options.createInProcore === false) lines.push('', PROCORE_CREATION_OFF_NOTE);
  return `${lines.join('\n')}\n`;
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderCsv(plan: BackfillPlan): string {
  const header = [
    'decision',
    'salesforce_id',
    'procore_id',
    'key',
    'field',
    'salesforce_value',
    'procore_value',
    'winner',
    'reason',
  ];
  const rows: unknown[][] = [];
  for (const p of plan.linked) rows.push(['linked', p.salesforceId, p.procoreId]);
  for (const p of plan.toLink) {
    rows.push(['link', p.salesforceId, p.procoreId, p.key, '', '', '', '', p.by]);
    for (const d of p.differences)
      rows.push(['differs', p.salesforceId, p.procoreId, p.key, d.field, d.salesforce, d.procore, d.winner, d.reason]);
  }
  for (const c of plan.toCreateInProcore) rows.push(['create-in-procore', c.salesforceId, '', c.key]);
  for (const c of plan.toCreateInSalesforce)
    rows.push(['create-in-salesforce', '', c.procoreId, c.key, '', '', '', '', c.active ? 'active' : 'inactive']);
  for (const a of plan.ambiguous)
    rows.push(['ambiguous', a.salesforceIds.join(' '), a.procoreIds.join(' '), a.key, '', '', '', '', a.reason]);
  for (const c of plan.conflictingLinks)
    rows.push(['conflicting-link', c.salesforceId, c.procoreId, '', '', '', '', '', c.reason]);
  for (const d of plan.linkedToDeleted) rows.push(['linked-to-deleted', d.salesforceId, d.procoreId]);
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

/** Writes backfill-plan.json and backfill-plan.csv under `dir`; returns their paths. */
export function writeReport(
  plan: BackfillPlan,
  dir: string,
  options: ReportOptions = {},
): { json: string; csv: string } {
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, 'backfill-plan.json');
  const csv = path.join(dir, 'backfill-plan.csv');
  const document = {
    ...plan,
    summary: Object.fromEntries(summaryRows(plan)),
    salesforceCreation: { note: SALESFORCE_CREATION_NOTE },
    procoreCreation:
      options.createInProcore === false ? { off: true, note: PROCORE_CREATION_OFF_NOTE } : { off: false },
  };
  writeFileSync(json, `${JSON.stringify(document, null, 2)}\n`);
  writeFileSync(csv, renderCsv(plan));
  return { json, csv };
}
