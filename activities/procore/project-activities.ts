/** The Procore activities ProjectSync calls: read, find-or-create and update one project through got. */
import { errors, TandemError, toApplicationFailure } from '../../common/errors';
import { projectMapping } from '../../mappings';
import { procoreMappedFields, toProcore, translateLeniently } from '../../mappings/project-mapping';
import type { CanonicalFields, CanonicalValue, ProjectMapping } from '../../mappings/types';
import type { ProcoreClient } from './client';
import { attemptClock, type AttemptClock } from './deadline';
import type { FoundOrCreatedProject, ProcoreActivities, ProcoreProjectRecord, ProcoreWriteResult } from './types';

type ProcoreProject = Record<string, unknown> & {
  id: number | string;
  updated_at?: string;
  origin_id?: string | null;
  active?: boolean;
};

/** What a workflow gets of a project (and keeps in its history): the link, the state, and the mapped fields only. */
export function toRecord(project: ProcoreProject, mapping: ProjectMapping): ProcoreProjectRecord {
  return {
    id: String(project.id),
    originId: project.origin_id || null,
    active: project.active !== false,
    updatedAt: project.updated_at ? Date.parse(project.updated_at) : 0,
    fields: procoreMappedFields(mapping, project),
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

const same = (a: CanonicalValue | undefined, b: CanonicalValue | undefined) => (a ?? null) === (b ?? null);

/** `mapping` may be a getter: the sync worker's mapping is loaded again when its file changes. */
export function createProcoreActivities(
  client: ProcoreClient,
  mapping: ProjectMapping | (() => ProjectMapping) = projectMapping,
): ProcoreActivities {
  const companyId = client.settings.companyId;
  const mappingNow = typeof mapping === 'function' ? mapping : () => mapping;

  const show = (id: string, clock?: AttemptClock) => {
    clock?.beat();
    return client.request<ProcoreProject>('GET', `/rest/v1.0/projects/${encodeURIComponent(id)}`, {
      searchParams: { company_id: companyId },
      deadline: clock?.nextDeadline(),
    });
  };

  /** Looks a project up by origin_id among active and inactive ones; the list form lacks fields, so show follows. */
  async function findByOrigin(originId: string, clock?: AttemptClock): Promise<ProcoreProjectRecord | undefined> {
    clock?.beat();
    const list = await client.request<ProcoreProject[]>('GET', '/rest/v1.0/projects', {
      searchParams: { company_id: companyId, 'filters[origin_id]': originId, 'filters[by_status]': 'All', per_page: 2 },
      deadline: clock?.nextDeadline(),
    });
    const match = list.find((p) => p.origin_id === originId);
    return match ? toRecord(await show(String(match.id), clock), mappingNow()) : undefined;
  }

  /** The compare half of a compare-then-write: which target fields to write, or undefined if one was changed. */
  function fieldsToWrite(
    current: CanonicalFields,
    expected: CanonicalFields,
    target: CanonicalFields,
  ): CanonicalFields | undefined {
    const toWrite: CanonicalFields = {};
    for (const [name, value] of Object.entries(target)) {
      if (same(current[name], value)) continue;
      if (!same(current[name], expected[name])) return undefined;
      toWrite[name] = value;
    }
    return toWrite;
  }

  return {
    readProcoreProject: (procoreProjectId) =>
      asActivity(async () => toRecord(await show(procoreProjectId), mappingNow())),

    findOrCreateProcoreProject: (originId, project) =>
      asActivity(async (): Promise<FoundOrCreatedProject> => {
        // Attempts never overlap (see deadline.ts), so this lookup sees any project an earlier attempt created. Every
        // attempt looks first, the first one too: creation stays exactly once even where Procore would take a second
        // project with the same origin_id, at one more call per created project.
        const clock = attemptClock();
        const existing = await findByOrigin(originId, clock);
        if (existing) return { project: existing, created: false };
        try {
          clock.beat();
          const created = await client.request<ProcoreProject>('POST', '/rest/v1.0/projects', {
            json: { company_id: companyId, project: { ...project, origin_id: originId } },
            deadline: clock.nextDeadline(),
          });
          return { project: toRecord(created, mappingNow()), created: true };
        } catch (err) {
          // A create that raced another (or a retried create whose answer was lost): the project exists.
          if (
            !(err instanceof TandemError) ||
            err.code !== errors.PROCORE_REJECTED.code ||
            !/origin_id/.test(err.message)
          )
            throw err;
          const raced = await findByOrigin(originId, clock);
          if (!raced) throw err;
          return { project: raced, created: false };
        }
      }),

    updateProcoreProject: (procoreProjectId, project) =>
      asActivity(async () => toRecord(await patch(procoreProjectId, project), mappingNow())),

    updateProcoreProjectIfUnchanged: (procoreProjectId, expected, target) =>
      asActivity(() => compareThenWrite(procoreProjectId, expected, target)),

    overwriteProcoreProject: (procoreProjectId, target) =>
      asActivity(async (): Promise<ProcoreWriteResult> => {
        const written = await patch(procoreProjectId, toProcore(mappingNow(), target));
        return { outcome: 'written', project: toRecord(written, mappingNow()) };
      }),
  };

  function patch(procoreProjectId: string, project: Record<string, unknown>): Promise<ProcoreProject> {
    return client.request<ProcoreProject>('PATCH', `/rest/v1.0/projects/${encodeURIComponent(procoreProjectId)}`, {
      json: { company_id: companyId, project },
    });
  }

  async function compareThenWrite(
    procoreProjectId: string,
    expected: CanonicalFields,
    target: CanonicalFields,
  ): Promise<ProcoreWriteResult> {
    const current = toRecord(await show(procoreProjectId), mappingNow());
    // Only the target's fields are compared: another field holding a value the mapping cannot translate (which
    // the sync leaves alone) must not fail this write.
    const inForce = mappingNow();
    const held = translateLeniently(inForce, 'procore', current.fields).values;
    const toWrite = fieldsToWrite(held, expected, target);
    if (!toWrite) return { outcome: 'modified', project: current };
    if (Object.keys(toWrite).length === 0) return { outcome: 'written', project: current };
    const written = await patch(procoreProjectId, toProcore(inForce, toWrite));
    return { outcome: 'written', project: toRecord(written, mappingNow()), readUpdatedAt: current.updatedAt };
  }
}
