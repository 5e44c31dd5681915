/**
 * The Procore sweep's hand-offs, against the Procore sandbox over HTTP with the real activity: what it hands to a
 * ProjectSync must be new to it, since the router and the sync drop an event id they have seen. Procore stamps
 * whole seconds, so two states of a project can share an updated_at.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { loadConfig } from '../../common/config';
import { createProcoreReconcileActivities, type ProcoreHandoff } from '../../activities/procore/reconcile';
import type { ProcoreClient } from '../../activities/procore/client';
import { projectMapping } from '../../mappings';
import { translateLeniently } from '../../mappings/project-mapping';
import { startProcoreSandbox, type ProcoreSandbox } from '../../sandbox/procore';
import { procoreClient } from '../../workers/systems';
import type { ProcoreChange, SweepView } from '../../workflows/project-sync/messages';
import type { SyncViews } from '../../activities/sweeps/types';

const SALESFORCE_ID = 'a0X8d0000000931EAA';
/** Tries at making two edits in one second of Procore's clock (each try takes a few milliseconds). */
const TRIES = 10;

interface Project extends Record<string, unknown> {
  id: number;
  updated_at: string;
}

let sandbox: ProcoreSandbox;
let client: ProcoreClient;

beforeAll(async () => {
  sandbox = await startProcoreSandbox({ port: 0, logger: false });
  client = procoreClient(loadConfig({ PROCORE_LOGIN_URL: sandbox.url, PROCORE_API_URL: sandbox.url }));
});

afterAll(async () => {
  await sandbox?.close();
});

const companyId = () => client.settings.companyId;
const createProject = (project: Record<string, unknown>) =>
  client.request<Project>('POST', '/rest/v1.0/projects', { json: { company_id: companyId(), project } });
const editProject = (id: number, project: Record<string, unknown>) =>
  client.request<Project>('PATCH', `/rest/v1.0/projects/${id}`, { json: { company_id: companyId(), project } });

/** A ProjectSync as the sweep sees it, holding the view the test gives it; every hand-off is kept. */
function syncOf(procoreProjectId: number) {
  let view: SweepView | null = null;
  const handed: ProcoreChange[] = [];
  const views: SyncViews = {
    view: async () => view,
    views: async () => new Map(),
    linkedToProcore: async () => [],
  };
  const handoff: ProcoreHandoff = {
    procoreChange: async (change) => {
      if (change.procoreProjectId === String(procoreProjectId)) handed.push(change);
    },
    resync: async () => undefined,
  };
  /** The sync read the project: its view is that state. */
  const read = (project: Project) => {
    view = {
      procoreProjectId: String(project.id),
      linkEnded: false,
      deletedInSalesforce: false,
      seenAt: { salesforce: Date.now(), procore: Date.parse(project.updated_at) },
      procoreValues: translateLeniently(projectMapping, 'procore', project).values,
    };
  };
  const sweep = () =>
    new MockActivityEnvironment().run(
      createProcoreReconcileActivities(client, handoff, views, () => projectMapping).sweepProcoreProjects,
      { since: Date.now() - 60_000, firstLookbackMs: 60_000 },
    );
  return { handed, read, sweep };
}

describe('the Procore sweep', () => {
  it('hands over a second state stamped in the same second as the one the sync read, under a new event id', async () => {
    const project = await createProject({ name: 'Same Second Yard', origin_id: SALESFORCE_ID, city: 'Boise' });
    for (let attempt = 1; attempt <= TRIES; attempt++) {
      const sync = syncOf(project.id);
      const first = await editProject(project.id, { city: `Helena ${attempt}` });
      await sync.sweep();
      expect(sync.handed).toHaveLength(1);
      sync.read(first);
      const second = await editProject(project.id, { description: `sent to a disabled hook ${attempt}` });
      if (second.updated_at !== first.updated_at) continue;

      await sync.sweep();
      // The sweep sees the difference (a value the sync has not seen) and must hand it over as news.
      expect(sync.handed).toHaveLength(2);
      expect(sync.handed[1].eventId).not.toBe(sync.handed[0].eventId);
      return;
    }
    throw new Error(`no two edits fell in one second in ${TRIES} tries`);
  });

  it('hands one unchanged state over under the same event id each time, so repeated sweeps dedupe', async () => {
    const project = await createProject({ name: 'Steady Yard', origin_id: 'a0X8d0000000932EAA', city: 'Nampa' });
    const sync = syncOf(project.id);
    await sync.sweep();
    await sync.sweep();
    expect(sync.handed).toHaveLength(2);
    expect(sync.handed[1].eventId).toBe(sync.handed[0].eventId);
  });
});
