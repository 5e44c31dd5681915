/**
 * The console (not part of Procore): the page at `/` and the endpoints it and scripts use to change projects as a
 * person would. Their webhook events carry the console user and `source_application_id: null`.
 */
import type { FastifyInstance } from 'fastify';
import type { Company } from '../company';
import { readConsoleDates } from '../projects/dates';
import { presentShow } from '../projects/present';
import {
  createAttributesSchema,
  idParamsSchema,
  updateAttributesSchema,
  type IdParams,
  type ProjectAttributes,
} from '../projects/schemas';
import type { Actor, ProjectService } from '../projects/service';
import type { SandboxStore } from '../store';
import { renderConsolePage } from './page';

export interface ConsoleParts {
  store: SandboxStore;
  company: Company;
  projects: ProjectService;
}

export function consoleRoutes({ store, company, projects }: ConsoleParts) {
  const actor: Actor = { userId: company.consoleUser.id, applicationId: null, operationId: null };
  const newestFirst = () => [...store.state.projects].sort((a, b) => b.id - a.id);

  return async function consolePlugin(app: FastifyInstance): Promise<void> {
    app.get('/', async (_request, reply) => {
      return reply.type('text/html; charset=utf-8').send(renderConsolePage(newestFirst(), company));
    });

    // The console's own list, for scripts and the combined console: not an API call, so it spends no rate limit.
    app.get('/sandbox/ui/projects', async () => newestFirst().map((project) => presentShow(project, company)));

    // Browsers ask for it; an empty answer keeps their consoles free of 404 noise.
    app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());

    app.post<{ Body: ProjectAttributes }>(
      '/sandbox/ui/projects',
      { schema: { body: createAttributesSchema } },
      async (request, reply) => {
        return reply.code(201).send(presentShow(projects.create(readConsoleDates(request.body), actor), company));
      },
    );

    app.patch<{ Params: IdParams; Body: ProjectAttributes }>(
      '/sandbox/ui/projects/:id',
      { schema: { params: idParamsSchema, body: updateAttributesSchema } },
      async (request) => {
        const project = projects.find(Number(request.params.id));
        return presentShow(projects.update(project, readConsoleDates(request.body), actor), company);
      },
    );

    // Not something a Procore user can do: a project deleted by Procore support (see ProjectService.remove).
    app.delete<{ Params: IdParams }>(
      '/sandbox/ui/projects/:id',
      { schema: { params: idParamsSchema } },
      async (request, reply) => {
        projects.remove(projects.find(Number(request.params.id)));
        return reply.code(204).send();
      },
    );
  };
}
