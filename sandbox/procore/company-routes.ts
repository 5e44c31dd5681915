/**
 * Company-level reference endpoints: companies, me, and project types and stages (seeded, listed, shown, and
 * created with `POST /rest/v1.0/companies/{company_id}/project_types|project_stages`, both documented).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Company, NamedRef } from './company';
import { procoreErrors } from './errors';
import { paginate } from './paging';
import { pageQuerySchema, type PageQuery } from './params';
import type { ProjectStage, SandboxStore } from './store';

const companyParamsSchema = z.object({ company_id: z.string(), id: z.string().optional() });
type CompanyParams = z.output<typeof companyParamsSchema>;

const STAGE_CATEGORIES = [
  'pre_construction',
  'course_of_construction',
  'post_construction',
  'completed',
  'not_awarded',
  'canceled',
] as const;

const typeCreateSchema = z.strictObject({
  project_type: z.strictObject({ name: z.string().trim().min(1).max(255) }).optional(),
});
type TypeCreateBody = z.output<typeof typeCreateSchema>;

const stageCreateSchema = z.strictObject({
  project_stage: z
    .strictObject({
      name: z.string().trim().min(1).max(255),
      category: z.enum(STAGE_CATEGORIES),
      is_bidding_stage: z.boolean().optional(),
    })
    .optional(),
});
type StageCreateBody = z.output<typeof stageCreateSchema>;

/** Names are unique in a company, compared without case (the less forgiving choice: the docs do not say). */
function checkNameFree(items: readonly NamedRef[], name: string): void {
  if (items.some((item) => item.name.toLowerCase() === name.toLowerCase()))
    throw procoreErrors.UNPROCESSABLE({ name: ['has already been taken'] });
}

function findById<T extends NamedRef>(items: readonly T[], id: string | undefined): T {
  const found = items.find((item) => item.id === Number(id));
  if (!found) throw procoreErrors.NOT_FOUND();
  return found;
}

export function companyRoutes(company: Company, store: SandboxStore) {
  return async function companyPlugin(app: FastifyInstance): Promise<void> {
    const route = { schema: { params: companyParamsSchema, querystring: pageQuerySchema } };
    const checkPath = (params: CompanyParams) => company.checkParam(Number(params.company_id));

    app.get('/rest/v1.0/companies', async () => [{ id: company.id, name: company.name, is_active: true }]);

    app.get('/rest/v1.0/me', async () => {
      const { id, login, name } = company.serviceAccount;
      return { id, login, name };
    });

    // Project types and stages are served alike: a paginated list and a show.
    const catalogs: Array<[string, () => readonly NamedRef[]]> = [
      ['project_types', () => company.projectTypes],
      ['project_stages', () => company.projectStages],
    ];
    for (const [name, items] of catalogs) {
      app.get<{ Params: CompanyParams; Querystring: PageQuery }>(
        `/rest/v1.0/companies/:company_id/${name}`,
        route,
        async (request, reply) => {
          checkPath(request.params);
          return paginate(items(), request.query, request, reply);
        },
      );
      app.get<{ Params: CompanyParams }>(`/rest/v1.0/companies/:company_id/${name}/:id`, route, async (request) => {
        checkPath(request.params);
        return findById(items(), request.params.id);
      });
    }

    const createRoute = (body: z.ZodType) => ({ schema: { params: companyParamsSchema, body } });
    app.post<{ Params: CompanyParams; Body: TypeCreateBody }>(
      '/rest/v1.0/companies/:company_id/project_types',
      createRoute(typeCreateSchema),
      async (request, reply) => {
        checkPath(request.params);
        const input = request.body.project_type;
        if (!input) throw procoreErrors.PARAM_MISSING('project_type');
        checkNameFree(store.state.projectTypes, input.name);
        const type: NamedRef = { id: store.nextId('catalogId'), name: input.name };
        store.state.projectTypes.push(type);
        store.changed();
        return reply.code(201).send(type);
      },
    );
    app.post<{ Params: CompanyParams; Body: StageCreateBody }>(
      '/rest/v1.0/companies/:company_id/project_stages',
      createRoute(stageCreateSchema),
      async (request, reply) => {
        checkPath(request.params);
        const input = request.body.project_stage;
        if (!input) throw procoreErrors.PARAM_MISSING('project_stage');
        checkNameFree(store.state.projectStages, input.name);
        const stage: ProjectStage = {
          id: store.nextId('catalogId'),
          name: input.name,
          category: input.category,
          is_bidding_stage: input.is_bidding_stage ?? false,
          is_concept_stage: false,
          readonly: false,
          default_stage: false,
          hideable: true,
          has_rfi_prefixes: false,
          project_stage_has_children: false,
        };
        store.state.projectStages.push(stage);
        store.changed();
        return reply.code(201).send(stage);
      },
    );
  };
}
