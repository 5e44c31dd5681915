/**
 * The benchmark's core with tiny settings, so that `npm run bench` cannot rot: a few projects, a few seconds, a low
 * rate, against the test run's Temporal server. It checks that the figures are sane, not what they are.
 */
import { runBenchmark } from '../../bench/lib/benchmark';
import { formatReport, type BenchReport } from '../../bench/lib/report';
import { TEST_NAMESPACES, temporalAddress } from '../support/temporal';

jest.setTimeout(90_000);

let report: BenchReport;

beforeAll(async () => {
  report = await runBenchmark({
    temporal: temporalAddress(),
    namespace: TEST_NAMESPACES.bench,
    projects: 4,
    rate: 2,
    durationS: 4,
    latencyMs: 10,
  });
  // Starting both rigs (sandboxes, Tandem's processes, the floor) is most of it; under CI's load that alone has
  // taken over 90 s. The run itself is a few seconds.
}, 180_000);

it('observes every change in both directions, for Tandem and the floor', () => {
  const [step] = report.steps;
  expect(step).toBeDefined();
  for (const figures of [step!.tandem, step!.floor]) {
    expect(figures.missing).toBe(0);
    expect(figures.observed).toBe(step!.changes);
    for (const latency of Object.values(figures.latency)) {
      expect(latency.count).toBeGreaterThan(0);
      expect(latency.p50).toBeGreaterThan(0);
      expect(latency.max).toBeGreaterThanOrEqual(latency.p99);
    }
  }
});

it('counts API calls per change on both systems', () => {
  const [step] = report.steps;
  for (const figures of [step!.tandem, step!.floor]) {
    expect(figures.apiCallsPerChange.salesforce).toBeGreaterThan(0);
    expect(figures.apiCallsPerChange.procore).toBeGreaterThan(0);
  }
  // The floor is the minimum: one Procore call per Salesforce → Procore change, two calls per Procore → Salesforce one.
  expect(step!.floor.apiCallsPerChange.procore).toBeCloseTo(1, 1);
});

it('reports memory, the time line from workflow histories, and a table', () => {
  expect(report.memory.workers[0]).toBeGreaterThan(0);
  expect(report.memory.floor).toBeGreaterThan(0);
  // Each project has its ProjectSync and its router; histories hold at least their starts.
  expect(report.histories.executions).toBeGreaterThanOrEqual(2 * report.settings.projects);
  expect(report.histories.events).toBeGreaterThan(report.histories.executions);
  expect(report.histories.mib).toBeGreaterThan(0);
  expect(report.timeline.salesforceToProcore.length).toBeGreaterThan(0);
  expect(formatReport(report)).toContain('Salesforce → Procore');
});

it('shows the slowest change of each direction milestone by milestone, from commit to arrival', () => {
  const step = report.steps.at(-1)!;
  expect(report.slowest.map((c) => c.direction)).toEqual(['salesforceToProcore', 'procoreToSalesforce']);
  for (const change of report.slowest) {
    // The step's maximum is rounded to 0.1 ms, the change's latency to 1 ms.
    expect(Math.abs(change.latencyMs - step.tandem.latency[change.direction].max)).toBeLessThanOrEqual(1);
    const at = new Map(change.milestones.map((m) => [m.label, m.afterMs]));
    expect(at.get('edit committed')).toBe(0);
    expect(at.get('value seen on the other side')).toBe(change.latencyMs);
    expect(change.milestones.some((m) => m.label.startsWith('ProjectSync signaled'))).toBe(true);
  }
  expect(formatReport(report)).toContain('slowest change of the last step, Procore → Salesforce');
});

it('counts what linking cost and samples the worker as projects are linked', () => {
  const { linkCost, workerMemoryByLinked, cpuMsPerProject } = report.setup;
  expect(linkCost.sampled).toBe(report.settings.projects);
  // At least: the create in Procore and the link written to Salesforce, each after a workflow task.
  expect(linkCost.activitiesByName.findOrCreateProcoreProject).toBe(1);
  expect(linkCost.activitiesByName.updateSalesforceProjectIfUnmodified).toBeGreaterThanOrEqual(1);
  expect(linkCost.workflowTasks).toBeGreaterThanOrEqual(linkCost.activities);
  expect(workerMemoryByLinked.at(-1)).toMatchObject({ linked: report.settings.projects });
  expect(workerMemoryByLinked.at(-1)!.workersRssMiB[0]).toBeGreaterThan(0);
  expect(cpuMsPerProject.worker).toBeGreaterThan(0);
});

it('counts CPU per change for every process, Tandem and the floor, and what one core carries', () => {
  const cpu = report.steps[0]!.cpuMsPerChange!;
  expect(cpu.worker).toBeGreaterThan(0);
  // Here Temporal is the test run's server, not the benchmark's own: its CPU cannot be read (null), but has its place.
  expect(cpu).toHaveProperty('temporalServer');
  expect(cpu.floor).toBeGreaterThan(0);
  expect(formatReport(report)).toMatch(/changes\/s one core carries: Tandem \d+, floor \d+/);
});
