/**
 * A lookup id changed in the mapping while syncs run: the operator edits the file the sync worker was
 * started with, runs `tandem mapping apply`, and the running ProjectSync adopts the worker's new mapping between
 * batches. The worker is then killed and started again, so the new process replays that history from the start under
 * the changed file: no non-determinism, no failed workflow task, and the next edit writes the new id.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import got from 'got';
import type { LookupRow, ProjectMapping } from '../../mappings/types';
import { DEFAULT_MAPPING_FILE } from '../../mappings/validate';
import { projectSyncWorkflowId } from '../../workflows/project-sync/messages';
import { type Recorded, recordHistoriesAndStop } from '../replay/record';
import { eventually } from '../support/eventually';
import {
  consoleUser,
  linkedPair,
  procoreProject,
  procoreToken,
  salesforceProject,
  startSystem,
  syncState,
  type RunningSystem,
} from '../support/system';
import { runTandem } from '../support/tandem-cli';
import { TEST_NAMESPACES } from '../support/temporal';

jest.setTimeout(180_000);

const COMPANY = 4264807;
const SHIPPED_COMMERCIAL = 562949953421401;

let system: RunningSystem;
let mappingFile: string;
const recorded: Recorded[] = [];

beforeAll(async () => {
  mappingFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'tandem-mapping-')), 'project.mapping.json');
  copyFileSync(DEFAULT_MAPPING_FILE, mappingFile);
  system = await startSystem(TEST_NAMESPACES.mapping, { TANDEM_MAPPING_FILE: mappingFile }, { label: 'mapping' });
}, 120_000);

afterAll(() => recordHistoriesAndStop(system, recorded));

/** A project type the company adds in Procore, as its admin would (the API the console uses). */
async function addProcoreProjectType(name: string): Promise<number> {
  const created = await got
    .post(`${system.procoreUrl}/rest/v1.0/companies/${COMPANY}/project_types`, {
      headers: { authorization: `Bearer ${await procoreToken(system)}`, 'procore-company-id': String(COMPANY) },
      json: { project_type: { name } },
    })
    .json<{ id: number }>();
  return created.id;
}

/** The operator's edit: the Commercial row now names another Procore type, by name (resolved by the worker). */
function pointCommercialAt(procoreName: string): void {
  const mapping = JSON.parse(readFileSync(mappingFile, 'utf8')) as ProjectMapping;
  const rows = mapping.lookups.projectTypes as Array<Partial<LookupRow> & { procoreName?: string }>;
  const row = rows.find((r) => r.salesforce === 'Commercial')!;
  delete row.procore;
  row.procoreName = procoreName;
  writeFileSync(mappingFile, `${JSON.stringify(mapping, null, 2)}\n`);
}

async function failedWorkflowTasks(salesforceId: string): Promise<number> {
  const history = await system.temporal.workflow.getHandle(projectSyncWorkflowId(salesforceId)).fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes).length;
}

describe('a lookup id changed in the mapping while syncs run', () => {
  let salesforceId: string;
  let procoreId: number;
  let before: string;
  let commercialOffice: number;

  it('runs a sync on the mapping the worker served', async () => {
    const created = await consoleUser.createSalesforceProject(system, {
      Name: 'Mapping Change Plaza',
      Project_Type__c: 'Residential',
      Stage__c: 'Pre-Construction',
    });
    salesforceId = created.Id;
    recorded.push([projectSyncWorkflowId(salesforceId), 'project-sync.mapping-change']);
    procoreId = (await linkedPair(system, salesforceId)).pc.id;
    const state = await eventually(async () => {
      const s = await syncState(system, salesforceId);
      return s.status === 'synced' ? s : undefined;
    }, 'the new pair synced');
    expect(state.mappingVersion).toMatch(/^[0-9a-f]{12}$/);
    before = state.mappingVersion!;
  });

  it('adopts the changed mapping once applied, between batches', async () => {
    commercialOffice = await addProcoreProjectType('Commercial Office');
    pointCommercialAt('Commercial Office');
    const applied = await runTandem(system, ['mapping', 'apply']);
    expect(applied).toMatchObject({ code: 0 });
    expect(applied.stdout).toMatch(/told [1-9]\d* running ProjectSync/);
    const version = /version ([0-9a-f]{12})/.exec(applied.stdout)![1];
    expect(version).not.toBe(before);
    await eventually(
      async () => (await syncState(system, salesforceId)).mappingVersion === version,
      'the running sync on the applied version',
    );
  });

  it('replays its history in a new worker process and writes the new id on the next edit', async () => {
    // A new process has no cached workflow: it replays the whole history under the changed file.
    await system.restart('worker', 'kill');
    await consoleUser.editSalesforceProject(system, salesforceId, { Project_Type__c: 'Commercial' });
    const pc = await eventually(
      async () => {
        const project = await procoreProject(system, procoreId);
        return (project.project_type as { id?: number } | null)?.id === commercialOffice ? project : undefined;
      },
      'the Procore project on the new Commercial type',
      60_000,
    );
    expect(commercialOffice).not.toBe(SHIPPED_COMMERCIAL);
    expect(pc.project_type).toMatchObject({ id: commercialOffice, name: 'Commercial Office' });
    await consoleUser.editProcoreProject(system, procoreId, { city: 'Spokane' });
    await eventually(
      async () => (await salesforceProject(system, salesforceId)).City__c === 'Spokane',
      'a later Procore edit in Salesforce',
      60_000,
    );
    const state = await syncState(system, salesforceId);
    expect(state.status).toBe('synced');
    expect(await failedWorkflowTasks(salesforceId)).toBe(0);
  });

  it('starts new syncs on the changed mapping', async () => {
    const created = await consoleUser.createSalesforceProject(system, {
      Name: 'Mapping Change Annex',
      Project_Type__c: 'Commercial',
    });
    const { pc } = await linkedPair(system, created.Id);
    expect((await procoreProject(system, pc.id)).project_type).toMatchObject({ id: commercialOffice });
    expect(await failedWorkflowTasks(created.Id)).toBe(0);
  });
});
