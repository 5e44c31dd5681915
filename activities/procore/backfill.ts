/**
 * The Procore side of a backfill: every project of the company, inactive ones too (v1.1 list, extended view, 300 a
 * page), and the link write: `origin_id`, plus the values the plan chose, only if the project is unchanged.
 */
import { errors, TandemError, toApplicationFailure } from '../../common/errors';
import type { ProcoreCandidate } from '../../mappings/matching/types';
import type { ProjectMapping } from '../../mappings/types';
import { createBulkLinkActivity, decideLink } from './bulk-link';
import type { ProcoreClient } from './client';
import type { LinkOutcome, ProcoreLinkWrite } from './types';

const PER_PAGE = 300;
type Project = Record<string, unknown> & { id: number; origin_id?: string | null; updated_at?: string };

function toCandidate(project: Project): ProcoreCandidate {
  return {
    id: String(project.id),
    originId: project.origin_id || null,
    active: project.active !== false,
    modifiedAt: project.updated_at ? Date.parse(project.updated_at) : 0,
    fields: project,
  };
}

const READ_ATTEMPTS = 8;

/** The whole read runs outside Temporal (the CLI), so it waits out Procore's rate limit itself, as long as asked. */
async function patiently<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      const wait = err instanceof TandemError ? err.retryAfterMs : undefined;
      if (wait === undefined || attempt >= READ_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

export async function readAllProcoreProjects(client: ProcoreClient): Promise<ProcoreCandidate[]> {
  const projects: ProcoreCandidate[] = [];
  for (let page = 1; ; page++) {
    const batch = await patiently(() =>
      client.request<Project[]>('GET', '/rest/v1.1/projects', {
        searchParams: {
          company_id: client.settings.companyId,
          'filters[by_status]': 'all',
          view: 'extended',
          per_page: PER_PAGE,
          page,
        },
      }),
    );
    projects.push(...batch.map(toCandidate));
    if (batch.length < PER_PAGE) return projects;
  }
}

export function createProcoreBackfillActivities(client: ProcoreClient, mapping: () => ProjectMapping) {
  const companyId = client.settings.companyId;
  return {
    ...createBulkLinkActivity(client, mapping),
    /** Idempotent: a project already naming this record is left as it is; one naming another is never overwritten. */
    async linkProcoreProject(write: ProcoreLinkWrite): Promise<LinkOutcome> {
      const path = `/rest/v1.0/projects/${encodeURIComponent(write.procoreId)}`;
      try {
        const project = await client.request<Project>('GET', path, { searchParams: { company_id: companyId } });
        const decision = decideLink({ salesforceId: write.salesforceId, procoreId: write.procoreId, write }, project);
        if ('outcome' in decision) return decision.outcome === 'linked-elsewhere' ? decision.outcome : 'already';
        const { id: _id, ...body } = decision.body;
        await client.request<Project>('PATCH', path, {
          searchParams: { company_id: companyId },
          json: { company_id: companyId, project: body },
        });
        return 'written';
      } catch (err) {
        if (err instanceof TandemError && err.code === errors.PROCORE_PROJECT_NOT_FOUND.code) return 'gone';
        if (err instanceof TandemError) throw toApplicationFailure(err);
        throw err;
      }
    },
  };
}
