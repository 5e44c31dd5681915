/** `GET /`: the console page; `?edit=<id>` opens a record in the form. */
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context';
import { isValidId } from '../ids';
import { renderConsole } from './page';

export async function consoleRoutes(app: FastifyInstance, ctx: SandboxContext): Promise<void> {
  app.get<{ Querystring: { edit?: string } }>('/', async (request, reply) => {
    const editId = request.query.edit;
    const editing = editId && isValidId(editId) ? ctx.store.get(editId) : undefined;
    const records = ctx.store
      .all()
      .sort((a, b) => String(b.LastModifiedDate).localeCompare(String(a.LastModifiedDate)));
    return reply.type('text/html; charset=utf-8').send(renderConsole(ctx.schema, records, editing));
  });
}
