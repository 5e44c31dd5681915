/**
 * The Procore sweep of the reconciliation: every project updated in [cursor - overlap, now] (every project in a full
 * sweep), inactive ones too. A project linked to Salesforce is handed to its router, exactly as its webhook would
 * be, only when its ProjectSync has not seen that state: a sweep of an unchanged company signals nothing. The event
 * id names the project, its updated_at and its mapped values, so repeated sweeps of one state dedupe in the router.
 */
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { TandemError, toApplicationFailure } from '../../common/errors';
import { reconcileDifferences, reconcilePagesRead, reconcileProjectsRead, reconcileSweeps } from '../../common/metrics';
import { toSalesforceId18 } from '../../common/salesforce-id';
import { translateLeniently } from '../../mappings/project-mapping';
import type { CanonicalFields, ProjectMapping } from '../../mappings/types';
import type { ProcoreChange } from './types';
import {
  SYNC_BUSY,
  type SyncViewAnswer,
  type ProcoreSweepInput,
  type ProcoreSweepResult,
  type SyncViews,
} from '../sweeps/types';
import { syncMissed } from '../sweeps/sync-missed';
import type { ProcoreClient } from './client';

/** Procore stamps whole seconds and its clock is not ours: each sweep re-reads a few seconds before its cursor. */
export const SWEEP_OVERLAP_MS = 5_000;
const PER_PAGE = 300;

/** A project of the v1.1 list's extended view: the show form, so its mapped values can be compared. */
interface ListedProject extends Record<string, unknown> {
  id: number;
  origin_id?: string | null;
  created_at?: string;
  updated_at?: string;
}

/** How the sweep hands a change over; the worker injects it (activities never import the ingress). */
export interface ProcoreHandoff {
  procoreChange(change: ProcoreChange): Promise<void>;
  /** Asks a ProjectSync to read both systems again. */
  resync(salesforceId: string, reason: string): Promise<void>;
}

/**
 * Procore stamps whole seconds, so two states of a project can share an updated_at; the router and the ProjectSync
 * drop an event id they have seen, so the id also names the state's mapped values (a second state of the same
 * second would otherwise be dropped as the first).
 */
export function reconcileEventId(procoreProjectId: string, updatedAt: string, values: CanonicalFields): string {
  const state = createHash('sha256')
    .update(JSON.stringify(Object.entries(values).sort(([a], [b]) => a.localeCompare(b))))
    .digest('hex')
    .slice(0, 12);
  return `reconcile:${procoreProjectId}:${updatedAt}:${state}`;
}

/** The project's state as the sweep names it in an event id: its mapped values. */
const stateOf = (mapping: ProjectMapping, project: ListedProject) =>
  translateLeniently(mapping, 'procore', project).values;

function toChange(
  project: ListedProject,
  mapping: ProjectMapping,
): { salesforceId: string; change: ProcoreChange; project: ListedProject } | null {
  const salesforceId = toSalesforceId18(project.origin_id ?? null);
  if (!salesforceId || !project.updated_at) return null;
  const procoreProjectId = String(project.id);
  const change: ProcoreChange = {
    eventId: reconcileEventId(procoreProjectId, project.updated_at, stateOf(mapping, project)),
    eventType: 'update',
    procoreProjectId,
    timestamp: project.updated_at,
    // Unknown from a list; a change of Tandem's own is then re-read and found already in sync, never written back.
    madeByTandem: false,
  };
  return { salesforceId, change, project };
}

/**
 * A project a person created in Procore since the sweep's window began, still with no origin_id: its create webhook
 * never came, so the sweep hands it to its router, which gives it its Salesforce record. Older unlinked projects are
 * left alone (an edit of one adopts it, as its webhook would); a full sweep adopts none, so turning creation on
 * never sweeps a company's whole back catalogue into Salesforce.
 */
function bornSince(project: ListedProject, from: number, mapping: ProjectMapping): ProcoreChange | null {
  if (project.origin_id || !project.created_at || !project.updated_at) return null;
  if (Date.parse(project.created_at) < from) return null;
  const procoreProjectId = String(project.id);
  return {
    eventId: reconcileEventId(procoreProjectId, project.updated_at, stateOf(mapping, project)),
    eventType: 'create',
    procoreProjectId,
    timestamp: project.updated_at,
    madeByTandem: false,
  };
}

async function readPage(client: ProcoreClient, range: string | null, page: number): Promise<ListedProject[]> {
  try {
    // The v1.1 list (the sync itself uses v1.0): operators and tests can tell the sweep's calls from the sync's.
    return await client.request<ListedProject[]>('GET', '/rest/v1.1/projects', {
      searchParams: {
        company_id: client.settings.companyId,
        'filters[by_status]': 'all',
        view: 'extended',
        ...(range ? { 'filters[updated_at]': range } : {}),
        per_page: PER_PAGE,
        page,
      },
    });
  } catch (err) {
    if (err instanceof TandemError) throw toApplicationFailure(err);
    throw err;
  }
}

/**
 * Whether the project's ProjectSync has not seen this state of it (the comparison before any signal): a newer
 * updated_at, or, since Procore stamps whole seconds, a mapped value other than the sync's view (an edit in the
 * very second of Tandem's own write).
 */
function differs(
  view: SyncViewAnswer,
  mapping: ProjectMapping,
  linked: { salesforceId: string; change: ProcoreChange; project: ListedProject },
): boolean {
  if (view === SYNC_BUSY) return true;
  if (view?.procoreProjectId && view.procoreProjectId !== linked.change.procoreProjectId) return false;
  if (syncMissed(view, 'procore', Date.parse(linked.change.timestamp))) return true;
  const seen = view?.procoreValues;
  if (!view || !seen || view.linkEnded) return false;
  const { values } = translateLeniently(mapping, 'procore', linked.project);
  return Object.entries(values).some(([name, value]) => name in seen && seen[name] !== value);
}

/**
 * The full sweep's check for links to projects Procore no longer lists (deleted, their delete unannounced: Procore
 * sends no webhook for it): each such sync is asked to read again, meets the 404 and ends its link once. A sync whose link already ended, or that now names another project, is left alone. A link
 * made after the list was read costs one needless read, nothing more.
 */
async function vanishedLinks(views: SyncViews, listed: Set<string>, handoff: ProcoreHandoff): Promise<number> {
  let signalled = 0;
  for (const { salesforceId, procoreProjectId } of await views.linkedToProcore()) {
    if (listed.has(procoreProjectId)) continue;
    const view = await views.view(salesforceId);
    // A sync at work is not asked: it reads again, as one that still holds the link would (one read at most).
    if (view !== SYNC_BUSY && (!view || view.linkEnded || view.procoreProjectId !== procoreProjectId)) continue;
    Context.current().heartbeat({ vanished: procoreProjectId });
    await handoff.resync(salesforceId, `reconcile: Procore project ${procoreProjectId} is not in Procore's list`);
    signalled++;
    reconcileDifferences.inc({ system: 'procore' });
  }
  return signalled;
}

export function createProcoreReconcileActivities(
  client: ProcoreClient,
  handoff: ProcoreHandoff,
  views: SyncViews,
  /** The worker's mapping in force (a changed mapping file applies to the next sweep). */
  currentMapping: () => ProjectMapping,
  /** TANDEM_CREATE_IN_SALESFORCE: projects born in Procore whose create webhook was lost are adopted too. */
  createInSalesforce = false,
) {
  return {
    async sweepProcoreProjects(input: ProcoreSweepInput): Promise<ProcoreSweepResult> {
      const until = Date.now();
      const from = (input.since ?? until - input.firstLookbackMs) - SWEEP_OVERLAP_MS;
      const range = input.full ? null : `${new Date(from).toISOString()}...${new Date(until).toISOString()}`;
      const counts = { pagesRead: 0, projectsRead: 0, differences: 0 };
      const listed = new Set<string>();
      for (let page = 1; ; page++) {
        const batch = await readPage(client, range, page);
        if (input.full) for (const project of batch) listed.add(String(project.id));
        counts.pagesRead++;
        counts.projectsRead += batch.length;
        reconcilePagesRead.inc({ system: 'procore' });
        reconcileProjectsRead.inc({ system: 'procore' }, batch.length);
        const mapping = currentMapping();
        const changes = batch.map((project) => ({ project, linked: toChange(project, mapping) }));
        const listedViews = await views.views(changes.flatMap(({ linked }) => linked?.salesforceId ?? []));
        for (const { project, linked } of changes) {
          Context.current().heartbeat({ page });
          const born = !linked && createInSalesforce && !input.full ? bornSince(project, from, mapping) : null;
          if (born) await handoff.procoreChange(born);
          else if (!linked) continue;
          else {
            // Visibility's view may be a moment old: a difference is confirmed with the sync's own before a signal.
            const seen = listedViews.get(linked.salesforceId);
            if (seen && !differs(seen, mapping, linked)) continue;
            if (!differs(await views.view(linked.salesforceId), mapping, linked)) continue;
            await handoff.procoreChange(linked.change);
          }
          counts.differences++;
          reconcileDifferences.inc({ system: 'procore' });
        }
        Context.current().heartbeat({ page });
        if (batch.length < PER_PAGE) break;
      }
      const vanished = input.full ? await vanishedLinks(views, listed, handoff) : 0;
      counts.differences += vanished;
      reconcileSweeps.inc({ system: 'procore' });
      Context.current().log.info('Procore sweep done', { range: range ?? 'all', ...counts, vanished });
      return { cursor: until, ...counts };
    },
  };
}
