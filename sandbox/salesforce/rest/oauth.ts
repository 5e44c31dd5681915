/** `POST /services/oauth2/token`: the client-credentials and password grants, form-encoded as Salesforce takes them. */
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context';

/** Form fields as single strings; a repeated field counts by its first value. */
function formFields(body: unknown): Record<string, string | undefined> {
  if (typeof body !== 'object' || body === null) return {};
  const fields: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(body)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    fields[key] = typeof first === 'string' ? first : undefined;
  }
  return fields;
}

export async function oauthRoutes(app: FastifyInstance, ctx: SandboxContext): Promise<void> {
  await app.register(formbody);
  app.post('/services/oauth2/token', async (request) => {
    const session = ctx.sessions.grant(formFields(request.body));
    return ctx.sessions.tokenResponse(session, ctx.baseUrl());
  });
}
