/**
 * The Procore sweep of the reconciliation: every project updated in [cursor - overlap, now], inactive ones too, and
 * for each one linked to Salesforce a change handed to Temporal exactly as its webhook would be. The event id names
 * the project and its updated_at, so the overlap and repeated sweeps of one state dedupe in the router.
 */
import { Context } from '@temporalio/activity';
import { TandemError, toApplicationFailure } from '../../common/errors';
import { reconcileChangesHanded, reconcileProjectsRead, reconcileSweeps } from '../../common/metrics';
import { toSalesforceId18 } from '../../common/salesforce-id';
import type { ProcoreChange } from '../../workflows/project-sync/messages';
import type { ProcoreSweepInput, ProcoreSweepResult } from '../../workflows/reconcile/messages';
import type { ProcoreClient } from './client';

/** Procore stamps whole seconds and its clock is not ours: each sweep re-reads a few seconds before its cursor. */
export const SWEEP_OVERLAP_MS = 5_000;
const PER_PAGE = 300;

interface ListedProject {
  id: number;
  origin_id?: string | null;
  updated_at?: string;
}

/** How the sweep hands a change over; the worker injects it (activities never import the ingress). */
export interface ProcoreHandoff {
  procoreChange(change: ProcoreChange): Promise<void>;
}

export function reconcileEventId(procoreProjectId: string, updatedAt: string): string {
  return `reconcile:${procoreProjectId}:${updatedAt}`;
}

function toChange(project: ListedProject): ProcoreChange | null {
  if (!toSalesforceId18(project.origin_id ?? null) || !project.updated_at) return null;
  const procoreProjectId = String(project.id);
  return {
    eventId: reconcileEventId(procoreProjectId, project.updated_at),
    eventType: 'update',
    procoreProjectId,
    timestamp: project.updated_at,
    // Unknown from a list; a change of Tandem's own is then re-read and found already in sync, never written back.
    madeByTandem: false,
  };
}

async function readPage(client: ProcoreClient, range: string, page: number): Promise<ListedProject[]> {
  try {
    // The v1.1 list (the sync itself uses v1.0): operators and tests can tell the sweep's calls from the sync's.
    return await client.request<ListedProject[]>('GET', '/rest/v1.1/projects', {
      searchParams: {
        company_id: client.settings.companyId,
        'filters[by_status]': 'all',
        'filters[updated_at]': range,
        per_page: PER_PAGE,
        page,
      },
    });
  } catch (err) {
    if (err instanceof TandemError) throw toApplicationFailure(err);
    throw err;
  }
}

export function createProcoreReconcileActivities(client: ProcoreClient, handoff: ProcoreHandoff) {
  return {
    async sweepProcoreProjects(input: ProcoreSweepInput): Promise<ProcoreSweepResult> {
      const until = Date.now();
      const from = (input.since ?? until - input.firstLookbackMs) - SWEEP_OVERLAP_MS;
      const range = `${new Date(from).toISOString()}...${new Date(until).toISOString()}`;
      let projectsRead = 0;
      let changesHanded = 0;
      for (let page = 1; ; page++) {
        const batch = await readPage(client, range, page);
        projectsRead += batch.length;
        reconcileProjectsRead.inc({ system: 'procore' }, batch.length);
        for (const change of batch.map(toChange)) {
          if (!change) continue;
          await handoff.procoreChange(change);
          Context.current().heartbeat({ page });
          changesHanded++;
          reconcileChangesHanded.inc({ system: 'procore' });
        }
        Context.current().heartbeat({ page });
        if (batch.length < PER_PAGE) break;
      }
      reconcileSweeps.inc({ system: 'procore' });
      return { cursor: until, projectsRead, changesHanded };
    },
  };
}
