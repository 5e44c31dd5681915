/** Company-level reference endpoints: companies, me, project types and project stages (read-only, seeded). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Company, NamedRef } from './company';
import { procoreErrors } from './errors';
import { paginate } from './paging';
import { pageQuerySchema, type PageQuery } from './params';

const companyParamsSchema = z.object({ company_id: z.string(), id: z.string().optional() });
type CompanyParams = z.output<typeof companyParamsSchema>;

function findById<T extends NamedRef>(items: readonly T[], id: string | undefined): T {
  const found = items.find((item) => item.id === Number(id));
  if (!found) throw procoreErrors.NOT_FOUND();
  return found;
}

export function companyRoutes(company: Company) {
  return async function companyPlugin(app: FastifyInstance): Promise<void> {
    const route = { schema: { params: companyParamsSchema, querystring: pageQuerySchema } };
    const checkPath = (params: CompanyParams) => company.checkParam(Number(params.company_id));

    app.get('/rest/v1.0/companies', async () => [{ id: company.id, name: company.name, is_active: true }]);

    app.get('/rest/v1.0/me', async () => {
      const { id, login, name } = company.serviceAccount;
      return { id, login, name };
    });

    // Project types and stages are served alike: a paginated list and a show, both read-only.
    const catalogs: Array<[string, readonly NamedRef[]]> = [
      ['project_types', company.projectTypes],
      ['project_stages', company.projectStages],
    ];
    for (const [name, items] of catalogs) {
      app.get<{ Params: CompanyParams; Querystring: PageQuery }>(
        `/rest/v1.0/companies/:company_id/${name}`,
        route,
        async (request, reply) => {
          checkPath(request.params);
          return paginate(items, request.query, request, reply);
        },
      );
      app.get<{ Params: CompanyParams }>(`/rest/v1.0/companies/:company_id/${name}/:id`, route, async (request) => {
        checkPath(request.params);
        return findById(items, request.params.id);
      });
    }
  };
}
