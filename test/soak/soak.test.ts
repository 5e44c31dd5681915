/**
 * A short soak (`npm run soak`) in every test run: the real system as separate processes under random edits,
 * same-field conflicts and every kind of fault, then quiescence and the field-by-field comparison.
 *
 * The harness itself is checked (edits through every channel, every fault injected, every pair compared, API calls
 * counted), and so is convergence: no divergence, duplicate, orphan project, unlinked record, lost edit or loop
 * (quiescence reached, no write after it). The report is printed and kept in test-output/soak-test-report.json.
 *
 * Every fault kind is injected, dropped Procore webhook deliveries included: the reconciliation (a sweep of Procore
 * by updated_at every TANDEM_RECONCILE_EVERY, 3 s in the soak) recovers them. TANDEM_SOAK_STRICT=0 only reports
 * convergence (to look at a run without failing it), TANDEM_SOAK_SEED replays a seed, TANDEM_SOAK_DURATION_S changes
 * the length. The sync worker keeps only two workflows in its cache, so that most workflow tasks replay their history
 * and a nondeterministic replay fails the run (it found why the mapping is asked with an ordinary activity, not a local one).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TEST_OUTPUT } from '../support/process-harness';
import { CONFLICT_WINDOW_MS } from './lib/ledger';
import { runSoak } from './lib/soak';
import { formatReport, type SoakReport } from './lib/report';
import { temporalAddress } from '../support/temporal';

const STRICT = process.env.TANDEM_SOAK_STRICT !== '0';
const SETTINGS = {
  durationS: Number(process.env.TANDEM_SOAK_DURATION_S ?? 40),
  projects: 10,
  rate: 3,
  seed: Number(process.env.TANDEM_SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31)),
};
const FAULT_KINDS = 11;

jest.setTimeout(420_000);

let report: SoakReport;

function banner(ok: boolean): string {
  if (ok) return 'converged';
  return STRICT ? 'DID NOT CONVERGE' : 'DID NOT CONVERGE (reported only: TANDEM_SOAK_STRICT=0)';
}

beforeAll(async () => {
  report = await runSoak({
    ...SETTINGS,
    conflictShare: 0.2,
    conflictWindowMs: CONFLICT_WINDOW_MS,
    faults: true,
    lateCreateShare: 0.1,
    temporal: temporalAddress(),
    quietMs: 8000,
    quiescenceTimeoutMs: 120_000,
    afterQuietMs: 8000,
    label: 'soak-test',
    // Two workflows in the sync worker's cache: most workflow tasks replay history, so a replay defect shows here.
    workflowCache: 2,
  });
  process.stderr.write(`\n[soak] ${banner(report.ok)}\n${formatReport(report)}\n`);
  mkdirSync(TEST_OUTPUT, { recursive: true });
  writeFileSync(path.join(TEST_OUTPUT, 'soak-test-report.json'), `${JSON.stringify(report, null, 2)}\n`);
}, 420_000);

it('edits both sides through every channel, with same-field conflicts', () => {
  expect(report.edits.total).toBeGreaterThanOrEqual(SETTINGS.durationS * SETTINGS.rate * 0.4);
  expect(Object.keys(report.edits.byChannel).sort()).toEqual(['procoreConsole', 'salesforceApi', 'salesforceConsole']);
  expect(report.edits.conflicts).toBeGreaterThan(0);
});

it('injects every kind of fault, SIGKILL of the worker and the CDC worker included', () => {
  expect(Object.keys(report.faults)).toHaveLength(FAULT_KINDS);
  expect(report.faults).toMatchObject({ killWorker: expect.any(Number), killCdc: expect.any(Number) });
});

it('replays every workflow task: none failed as nondeterministic, with most tasks replaying history', () => {
  expect(report.nondeterministic).toEqual({ tasks: 0, runs: [] });
});

it('compares every project it made, and counts Tandem’s API calls', () => {
  const made = report.projects.upfront + report.projects.createdDuringRun;
  expect(report.projects.createdDuringRun).toBeGreaterThan(0);
  expect(report.comparison.pairsCompared + report.comparison.unlinked.length).toBe(made);
  expect(report.apiCalls.salesforce).toBeGreaterThan(0);
  expect(report.apiCalls.procore).toBeGreaterThan(0);
});

(STRICT ? it : it.skip)(
  'converges: no divergence, duplicate, unlinked record, lost edit, or write after quiescence',
  () => {
    expect(report.comparison.diverged).toEqual([]);
    expect(report.comparison.lostEdits).toEqual([]);
    expect(report.comparison.duplicates).toEqual([]);
    expect(report.comparison.orphanProcoreProjects).toEqual([]);
    expect(report.comparison.unlinked).toEqual([]);
    expect(report.quiescence.reached).toBe(true);
    expect(report.writesAfterQuiescence).toEqual({ salesforce: 0, procore: 0, routes: [] });
    expect(report.ok).toBe(true);
  },
);
