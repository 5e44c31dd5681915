/** The Procore activities ProjectSync calls: read, find-or-create and update one project through got. */
import { errors, TandemError, toApplicationFailure } from '../../common/errors';
import type { ProcoreClient } from './client';
import type { FoundOrCreatedProject, ProcoreActivities, ProcoreProjectRecord } from './types';

type ProcoreProject = Record<string, unknown> & {
  id: number | string;
  updated_at?: string;
  origin_id?: string | null;
  active?: boolean;
};

function toRecord(project: ProcoreProject): ProcoreProjectRecord {
  return {
    id: String(project.id),
    originId: project.origin_id || null,
    active: project.active !== false,
    updatedAt: project.updated_at ? Date.parse(project.updated_at) : 0,
    fields: project,
  };
}

/** Temporal sees typed failures: permanent ones stop retrying, rate limits wait as long as Procore asked. */
async function asActivity<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof TandemError) throw toApplicationFailure(err);
    throw err;
  }
}

export function createProcoreActivities(client: ProcoreClient): ProcoreActivities {
  const companyId = client.settings.companyId;

  const show = (id: string) =>
    client.request<ProcoreProject>('GET', `/rest/v1.0/projects/${encodeURIComponent(id)}`, {
      searchParams: { company_id: companyId },
    });

  /** Looks a project up by origin_id among active and inactive ones; the list form lacks fields, so show follows. */
  async function findByOrigin(originId: string): Promise<ProcoreProjectRecord | undefined> {
    const list = await client.request<ProcoreProject[]>('GET', '/rest/v1.0/projects', {
      searchParams: { company_id: companyId, 'filters[origin_id]': originId, 'filters[by_status]': 'All', per_page: 2 },
    });
    const match = list.find((p) => p.origin_id === originId);
    return match ? toRecord(await show(String(match.id))) : undefined;
  }

  return {
    readProcoreProject: (procoreProjectId) => asActivity(async () => toRecord(await show(procoreProjectId))),

    findOrCreateProcoreProject: (originId, project) =>
      asActivity(async (): Promise<FoundOrCreatedProject> => {
        const existing = await findByOrigin(originId);
        if (existing) return { project: existing, created: false };
        try {
          const created = await client.request<ProcoreProject>('POST', '/rest/v1.0/projects', {
            json: { company_id: companyId, project: { ...project, origin_id: originId } },
          });
          return { project: toRecord(created), created: true };
        } catch (err) {
          // A create that raced another (or a retried create whose answer was lost): the project exists.
          if (
            !(err instanceof TandemError) ||
            err.code !== errors.PROCORE_REJECTED.code ||
            !/origin_id/.test(err.message)
          )
            throw err;
          const raced = await findByOrigin(originId);
          if (!raced) throw err;
          return { project: raced, created: false };
        }
      }),

    updateProcoreProject: (procoreProjectId, project) =>
      asActivity(async () =>
        toRecord(
          await client.request<ProcoreProject>('PATCH', `/rest/v1.0/projects/${encodeURIComponent(procoreProjectId)}`, {
            json: { company_id: companyId, project },
          }),
        ),
      ),
  };
}
