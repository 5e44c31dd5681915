/**
 * `GET /rest/v1.1/projects`, the list-only v1.1 endpoint (facts file, Projects: Versions): active projects by
 * default, 100 a page and at most 300 ("due to the size of the data in the response"), and a `view`:
 * `ids` (bare integers, every match on one page: the reference says it forces per_page to 200000), `compact`
 * (id and name), `normal` (the list item, the default) or `extended` (the full record).
 */
import type { FastifyInstance } from 'fastify';
import type { Company } from '../company';
import { paginate } from '../paging';
import type { ProjectRecord, SandboxStore } from '../store';
import { filterProjects } from './filters';
import { presentListItem, presentShow } from './present';
import { listV11QuerySchema, type ListV11Query } from './schemas';

export const V11_MAX_PER_PAGE = 300;
const IDS_PER_PAGE = 200_000;

export interface ListV11Parts {
  store: SandboxStore;
  company: Company;
}

function presenter(view: ListV11Query['view'], company: Company): (project: ProjectRecord) => unknown {
  switch (view) {
    case 'ids':
      return (project) => project.id;
    case 'compact':
      return (project) => ({ id: project.id, name: project.attributes.name ?? null });
    case 'extended':
      return (project) => presentShow(project, company);
    default:
      return (project) => presentListItem(project, company);
  }
}

export function listV11({ store, company }: ListV11Parts) {
  return async function listV11Plugin(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: ListV11Query }>(
      '/rest/v1.1/projects',
      { schema: { querystring: listV11QuerySchema } },
      async (request, reply) => {
        company.checkParam(request.query.company_id);
        const matching = filterProjects(store.state.projects, request.query);
        const ids = request.query.view === 'ids';
        const query = ids ? { ...request.query, per_page: IDS_PER_PAGE } : request.query;
        const page = paginate(matching, query, request, reply, ids ? IDS_PER_PAGE : V11_MAX_PER_PAGE);
        return page.map(presenter(request.query.view, company));
      },
    );
  };
}
