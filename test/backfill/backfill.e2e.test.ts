/**
 * `tandem backfill` against seeded sandboxes that already share projects, with the sync worker, CDC worker and
 * ingress running as processes on the run's Temporal server: a dry run writes the three outputs and changes
 * nothing; the real run links the pairs without a single duplicate Procore project, creates the rest, leaves the
 * ambiguous ones alone; a second run is a no-op. With --create-in-salesforce the Procore-only projects get their
 * Salesforce records, one each.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import got from 'got';
import type { BackfillPlan } from '../../mappings/matching/types';
import { BACKFILL_WORKFLOW_ID, backfillProgressQuery } from '../../workflows/backfill/messages';
import { projectSyncWorkflowId } from '../../workflows/project-sync/messages';
import { type Recorded, recordHistoriesAndStop } from '../replay/record';
import { eventually } from '../support/eventually';
import { procoreToken, sandboxStats, startSystem, type RunningSystem } from '../support/system';
import { runTandem } from '../support/tandem-cli';
import { TEST_NAMESPACES } from '../support/temporal';

jest.setTimeout(420_000);

type Project = { id: number; origin_id: string | null };

async function procoreProjects(system: RunningSystem): Promise<Project[]> {
  const token = await procoreToken(system);
  const all: Project[] = [];
  for (let page = 1; ; page++) {
    const batch = await got(`${system.procoreUrl}/rest/v1.1/projects`, {
      searchParams: { company_id: 4264807, 'filters[by_status]': 'all', per_page: 300, page },
      headers: { authorization: `Bearer ${token}`, 'procore-company-id': '4264807' },
    }).json<Project[]>();
    all.push(...batch);
    if (batch.length < 300) return all;
  }
}

async function salesforceLinks(system: RunningSystem): Promise<Map<string, string | null>> {
  const records = await system.salesforce.query<{ Id: string; Procore_ID__c: string | null }>(
    'SELECT Id, Procore_ID__c FROM Project__c',
    { autoFetch: true, maxFetch: 100_000 },
  );
  return new Map(records.records.map((r) => [r.Id, r.Procore_ID__c]));
}

async function dryRun(system: RunningSystem, dir: string): Promise<BackfillPlan> {
  const run = await runTandem(system, ['backfill', '--dry-run', '--out', dir]);
  expect(run.stderr).not.toMatch(/Error/);
  expect(run.code).toBe(0);
  return JSON.parse(readFileSync(path.join(dir, 'backfill-plan.json'), 'utf8')) as BackfillPlan;
}

describe('tandem backfill on systems that already share projects', () => {
  let system: RunningSystem;
  const out = mkdtempSync(path.join(os.tmpdir(), 'tandem-backfill-'));

  beforeAll(async () => {
    system = await startSystem(
      TEST_NAMESPACES.backfill,
      {},
      { label: 'backfill', sandboxArgs: ['--seed', '7', '--seed-size', '150'] },
    );
  });
  const recorded: Recorded[] = [[BACKFILL_WORKFLOW_ID, 'backfill']];
  afterAll(() => recordHistoriesAndStop(system, recorded));

  it('dry run: writes the table, JSON and CSV, and changes nothing', async () => {
    const before = await procoreProjects(system);
    const run = await runTandem(system, ['backfill', '--dry-run', '--out', path.join(out, 'dry')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Pairs to link\s+\d+/);
    expect(run.stdout).toMatch(/Ambiguous \(left alone\)\s+[1-9]/);
    const plan = JSON.parse(readFileSync(path.join(out, 'dry', 'backfill-plan.json'), 'utf8')) as BackfillPlan;
    const csv = readFileSync(path.join(out, 'dry', 'backfill-plan.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe('decision,salesforce_id,procore_id,key,field,salesforce_value,procore_value,winner,reason');
    expect(csv.filter((line) => line.startsWith('link,'))).toHaveLength(plan.toLink.length);
    expect(plan.linked.length).toBeGreaterThan(0);
    expect(plan.toLink.some((p) => p.by === 'match-key')).toBe(true);
    expect(plan.toLink.some((p) => p.by === 'salesforce-link')).toBe(true);
    expect(plan.toLink.some((p) => p.differences.length > 0)).toBe(true);
    expect(plan.toCreateInProcore.length).toBeGreaterThan(0);
    expect(plan.toCreateInSalesforce.length).toBeGreaterThan(0);
    expect(plan.counts.procoreInactive).toBeGreaterThan(0);
    expect(plan.counts.salesforceDeleted).toBeGreaterThan(0);
    expect((await procoreProjects(system)).length).toBe(before.length);
    // Seeded data is pre-existing: with the CDC worker and the ingress up, nothing started a sync for it.
    expect((await system.temporal.workflow.count('WorkflowType = "projectSync"')).count).toBe(0);
  });

  it('links the pairs without one duplicate (through a worker crash), creates the rest, leaves the ambiguous alone; a second run is a no-op', async () => {
    const plan = await dryRun(system, path.join(out, 'before'));
    const projectsBefore = await procoreProjects(system);
    const callsBefore = await sandboxStats(system.procoreUrl);
    recorded.push([projectSyncWorkflowId(plan.toLink[0].salesforceId), 'project-sync.backfill-handoff']);
    // One record a batch, so the run continues as new several times; the worker is killed mid-run and restarted.
    const running = runTandem(system, ['backfill', '--out', path.join(out, 'run'), '--batch-size', '1']);
    const backfill = system.temporal.workflow.getHandle(BACKFILL_WORKFLOW_ID);
    await eventually(
      async () => (await backfill.query(backfillProgressQuery)).done >= 10,
      'the backfill to be under way',
      60_000,
      200,
    );
    await system.restart('worker', 'kill');
    const run = await running;
    expect((await system.temporal.workflow.count(`WorkflowId = "${BACKFILL_WORKFLOW_ID}"`)).count).toBeGreaterThan(1);
    expect(run.stdout).toMatch(/Backfill done: \d+ linked/);
    expect(run.stdout).toMatch(/skipped, 0 failed\./);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);

    // Every pair ends linked both ways, and every record Procore lacked gets exactly one project.
    const settled = await eventually(
      async () => {
        const after = await dryRun(system, path.join(out, 'after'));
        return after.toLink.length === 0 && after.toCreateInProcore.length === 0 ? after : undefined;
      },
      'every pair linked and every Salesforce-only record created in Procore',
      150_000,
      2000,
    );
    const projectsAfter = await procoreProjects(system);
    expect(projectsAfter.length).toBe(projectsBefore.length + plan.toCreateInProcore.length);
    // Links go to Procore in batch upserts, and the syncs take the project the link left rather than reading it
    // (before: ~4.3 Procore calls a pair; one a batch here is 1 pair, so about 2 a link and 1 a create).
    const callsAfter = await sandboxStats(system.procoreUrl);
    const procoreCalls = callsAfter.total - callsBefore.total;
    const actions = plan.toLink.length + plan.toCreateInProcore.length;
    expect(callsAfter.api['PATCH /rest/v1.0/projects/sync'] ?? 0).toBeGreaterThan(0);
    expect(procoreCalls).toBeLessThan(3 * actions);
    const links = await salesforceLinks(system);
    for (const pair of plan.toLink) {
      expect(links.get(pair.salesforceId)).toBe(pair.procoreId);
      expect(projectsAfter.find((p) => String(p.id) === pair.procoreId)?.origin_id).toBe(pair.salesforceId);
    }
    const origins = projectsAfter.map((p) => p.origin_id).filter(Boolean);
    expect(new Set(origins).size).toBe(origins.length);
    expect(settled.linked.length).toBe(plan.linked.length + plan.toLink.length + plan.toCreateInProcore.length);
    expect(settled.ambiguous).toEqual(plan.ambiguous);

    const again = await runTandem(system, ['backfill', '--out', path.join(out, 'again')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to do');
    expect((await procoreProjects(system)).length).toBe(projectsAfter.length);
  });

  it('--create-in-salesforce gives each Procore-only project one Salesforce record, linked both ways; a second run is a no-op', async () => {
    const plan = await dryRun(system, path.join(out, 'before-create'));
    const born = plan.toCreateInSalesforce;
    expect(born.length).toBeGreaterThan(0);
    expect(born.some((p) => !p.active)).toBe(true);
    const projectsBefore = await procoreProjects(system);
    const linksBefore = await salesforceLinks(system);

    const run = await runTandem(system, ['backfill', '--create-in-salesforce', '--out', path.join(out, 'create')]);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.stdout).toContain(`${born.length} created in Salesforce, 0 skipped, 0 failed.`);
    expect(run.code).toBe(0);

    await eventually(
      async () => (await dryRun(system, path.join(out, 'after-create'))).toCreateInSalesforce.length === 0,
      'every Procore-only project linked to a Salesforce record',
      60_000,
      2000,
    );
    const links = await salesforceLinks(system);
    expect(links.size).toBe(linksBefore.size + born.length);
    const projects = await procoreProjects(system);
    expect(projects.length).toBe(projectsBefore.length);
    for (const { procoreId } of born) {
      const naming = [...links].filter(([, linked]) => linked === procoreId).map(([id]) => id);
      expect(naming).toHaveLength(1);
      expect(projects.find((p) => String(p.id) === procoreId)?.origin_id).toBe(naming[0]);
    }

    const again = await runTandem(system, [
      'backfill',
      '--create-in-salesforce',
      '--out',
      path.join(out, 'create-again'),
    ]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to do');
    expect((await salesforceLinks(system)).size).toBe(links.size);
  });
});
