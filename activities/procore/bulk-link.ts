/**
 * The backfill's link write for a whole batch of pairs in two Procore calls, where one pair alone costs two: one
 * list read of the batch's projects (`filters[id][]`), then one batch upsert (`PATCH /projects/sync`, `id` with
 * `origin_id`) of the links still to write. The decision per pair is the one `linkProcoreProject` makes. Procore
 * answers the upsert with 200 and an `errors` entry per refused item: each refused pair is handed back as
 * `one-by-one`, with Procore's words, for the per-project write to settle and report.
 */
import { TandemError, toApplicationFailure } from '../../common/errors';
import type { ProjectMapping } from '../../mappings/types';
import type { ProcoreClient } from './client';
import { toRecord } from './project-activities';
import type { BulkLinkItem, BulkLinkResult } from './types';

export type Project = Record<string, unknown> & { id: number; origin_id?: string | null; updated_at?: string };

interface SyncAnswer {
  entities?: Project[];
  errors?: Array<Record<string, unknown> & { id?: unknown; errors?: unknown }>;
}

/** Ids one list read asks for: the query string stays a few KB. */
const IDS_PER_READ = 100;
/** Procore's limit for one batch upsert. */
const ITEMS_PER_SYNC = 1000;

type Decision = { body: Record<string, unknown> } | { outcome: BulkLinkResult['outcome'] };

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}

/**
 * The link write a pair needs: `origin_id`, plus the plan's values only if the project is unchanged since the plan;
 * none if the project names another record or already this one with nothing to write. A pair without a write only
 * reads: its project is handed on if it names the record, else nothing is done.
 */
export function decideLink(item: BulkLinkItem, project: Project | undefined): Decision {
  if (!project) return { outcome: item.write ? 'gone' : 'unlinked' };
  const current = project.origin_id || null;
  if (!item.write) return { outcome: current === item.salesforceId ? 'already' : 'unlinked' };
  if (current && current !== item.salesforceId) return { outcome: 'linked-elsewhere' };
  const unchanged = Date.parse(project.updated_at ?? '') === item.write.expectedModifiedAt;
  const values = unchanged ? item.write.values : {};
  if (current === item.salesforceId && Object.keys(values).length === 0) return { outcome: 'already' };
  return { body: { ...values, id: project.id, origin_id: item.salesforceId } };
}

export function createBulkLinkActivity(client: ProcoreClient, mapping: () => ProjectMapping) {
  const companyId = client.settings.companyId;

  /** The batch's projects, inactive ones too, in the show form (the v1.1 list's extended view). */
  async function readProjects(ids: string[]): Promise<Map<string, Project>> {
    const found = new Map<string, Project>();
    for (const part of chunks([...new Set(ids)], IDS_PER_READ)) {
      const query = new URLSearchParams({
        company_id: String(companyId),
        'filters[by_status]': 'all',
        view: 'extended',
        per_page: String(IDS_PER_READ),
      });
      for (const id of part) query.append('filters[id][]', id);
      const projects = await client.request<Project[]>('GET', '/rest/v1.1/projects', { searchParams: query });
      for (const project of projects) found.set(String(project.id), project);
    }
    return found;
  }

  /** Writes the links; what Procore's answer does not name as written goes back to the per-project write. */
  async function upsert(writes: Array<{ index: number; body: Record<string, unknown> }>, results: BulkLinkResult[]) {
    for (const part of chunks(writes, ITEMS_PER_SYNC)) {
      const answer = await client.request<SyncAnswer>('PATCH', '/rest/v1.0/projects/sync', {
        searchParams: { company_id: companyId },
        json: { company_id: companyId, updates: part.map((w) => w.body) },
      });
      const written = new Map((answer.entities ?? []).map((p) => [String(p.id), p]));
      const refused = new Map((answer.errors ?? []).map((e) => [String(e.id), JSON.stringify(e.errors ?? e)]));
      for (const { index, body } of part) {
        const id = String(body.id);
        const project = written.get(id);
        results[index] = project
          ? { procoreId: id, outcome: 'written', project: toRecord(project, mapping()) }
          : { procoreId: id, outcome: 'one-by-one', error: refused.get(id) ?? 'absent from the batch upsert answer' };
      }
    }
  }

  return {
    async linkProcoreProjects(items: BulkLinkItem[]): Promise<BulkLinkResult[]> {
      try {
        const projects = await readProjects(items.map((item) => item.procoreId));
        const results: BulkLinkResult[] = [];
        const writes: Array<{ index: number; body: Record<string, unknown> }> = [];
        const claimed = new Set<string>();
        items.forEach((item, index) => {
          const project = projects.get(item.procoreId);
          // A project twice in one batch is left to the per-project write, which sees the first one's link.
          const decision: Decision = claimed.has(item.procoreId)
            ? { outcome: 'one-by-one' }
            : decideLink(item, project);
          claimed.add(item.procoreId);
          if ('body' in decision) return void writes.push({ index, body: decision.body });
          const record = decision.outcome === 'already' && project ? toRecord(project, mapping()) : undefined;
          results[index] = { procoreId: item.procoreId, outcome: decision.outcome, ...(record && { project: record }) };
        });
        await upsert(writes, results);
        return results;
      } catch (err) {
        if (err instanceof TandemError) throw toApplicationFailure(err);
        throw err;
      }
    },
  };
}
