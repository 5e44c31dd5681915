/**
 * Projects REST endpoints: v1.0 list, show, create, update (deactivation is `active: false`; there is no delete) and
 * sync, and the v1.1 list. Dates written here follow the API's rule (dates.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Company } from '../company';
import type { Faults } from '../faults';
import { procoreErrors } from '../errors';
import { paginate } from '../paging';
import type { SandboxStore } from '../store';
import { readApiDates } from './dates';
import { filterProjects } from './filters';
import { listV11 } from './list-v11';
import { presentCompact, presentListItem, presentShow } from './present';
import {
  companyQuerySchema,
  createBodySchema,
  idParamsSchema,
  listQuerySchema,
  syncBodySchema,
  updateBodySchema,
  type CompanyQuery,
  type CreateBody,
  type IdParams,
  type ListQuery,
  type ProjectAttributes,
  type SyncBody,
  type UpdateBody,
} from './schemas';
import type { Actor, ProjectService } from './service';

export interface ProjectRouteParts {
  store: SandboxStore;
  company: Company;
  projects: ProjectService;
  faults: Faults;
}

/** An API change is made by the DMSA user on behalf of the token's application (its client id). */
export function apiActor(request: FastifyRequest, company: Company): Actor {
  const operation = request.headers['idempotency-token'];
  return {
    userId: company.serviceAccount.id,
    applicationId: request.procoreToken?.sub ?? null,
    operationId: typeof operation === 'string' ? operation : null,
  };
}

export function projectRoutes({ store, company, projects, faults }: ProjectRouteParts) {
  /** What Procore stores of an API write: its reading of dates, and the sandbox's `nullFields` fault. */
  const stored = (attributes: ProjectAttributes) => faults.storeAsNull(readApiDates(attributes));

  return async function projectsPlugin(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: ListQuery }>(
      '/rest/v1.0/projects',
      { schema: { querystring: listQuerySchema } },
      async (request, reply) => {
        company.checkParam(request.query.company_id);
        const matching = filterProjects(store.state.projects, request.query);
        const page = paginate(matching, request.query, request, reply);
        const present =
          request.query.serializer_view === 'compact'
            ? presentCompact
            : (p: (typeof page)[number]) => presentListItem(p, company);
        return page.map(present);
      },
    );

    await app.register(listV11({ store, company }));

    app.get<{ Params: IdParams; Querystring: CompanyQuery }>(
      '/rest/v1.0/projects/:id',
      { schema: { params: idParamsSchema, querystring: companyQuerySchema } },
      async (request) => {
        company.checkParam(request.query.company_id);
        return presentShow(projects.find(Number(request.params.id)), company);
      },
    );

    app.post<{ Body: CreateBody; Querystring: CompanyQuery }>(
      '/rest/v1.0/projects',
      { schema: { body: createBodySchema, querystring: companyQuerySchema } },
      async (request, reply) => {
        company.checkParam(request.body.company_id ?? request.query.company_id);
        if (!request.body.project) throw procoreErrors.PARAM_MISSING('project');
        const project = projects.create(stored(request.body.project), apiActor(request, company));
        return reply.code(201).send(presentShow(project, company));
      },
    );

    app.patch<{ Body: SyncBody; Querystring: CompanyQuery }>(
      '/rest/v1.0/projects/sync',
      { schema: { body: syncBodySchema, querystring: companyQuerySchema } },
      async (request) => {
        company.checkParam(request.body.company_id ?? request.query.company_id);
        if (!request.body.updates) throw procoreErrors.PARAM_MISSING('updates');
        return projects.sync(request.body.updates, apiActor(request, company));
      },
    );

    app.patch<{ Params: IdParams; Body: UpdateBody; Querystring: CompanyQuery }>(
      '/rest/v1.0/projects/:id',
      { schema: { params: idParamsSchema, body: updateBodySchema, querystring: companyQuerySchema } },
      async (request) => {
        company.checkParam(request.body.company_id ?? request.query.company_id);
        if (!request.body.project) throw procoreErrors.PARAM_MISSING('project');
        const changes = stored(request.body.project);
        const project = projects.update(projects.find(Number(request.params.id)), changes, apiActor(request, company));
        return presentShow(project, company);
      },
    );
  };
}
