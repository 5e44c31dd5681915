/**
 * What every REST route shares: Salesforce's error bodies for everything that can go wrong (including Fastify's
 * own errors: bad JSON, oversized bodies, unknown routes), the API version in the path, the session behind the
 * Authorization header and the `changeOrigin` an API write gets.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import type { Actor } from '../change-events';
import { DAILY_API_LIMIT, type SandboxContext } from '../context';
import { OAuthError, SalesforceError, sfErrors } from '../errors';
import { cannotDeserialize } from '../values';
import { servedVersions, versionStatus } from '../versions';

/** Largest request body accepted (bytes); a record's text fields fit many times over. */
export const MAX_BODY_BYTES = 1_000_000;

/** Turns a JSON.parse failure into Jackson-style text with a line and column, as Salesforce reports it. */
function jsonParseError(body: string, err: unknown): SalesforceError {
  const text = err instanceof Error ? err.message : String(err);
  const position = /position (\d+)/.exec(text);
  const offset = position ? Number(position[1]) : body.length;
  const before = body.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const ch = body.charAt(offset);
  const what = ch ? `Unexpected character ('${ch}' (code ${ch.charCodeAt(0)}))` : 'Unexpected end-of-input';
  return sfErrors.JSON_PARSER_ERROR(`${what} at [line:${line}, column:${column}]`);
}

function isFastifyError(err: unknown): err is FastifyError {
  return err instanceof Error && typeof (err as Partial<FastifyError>).code === 'string';
}

function toSalesforceError(err: unknown, request: FastifyRequest): SalesforceError | undefined {
  if (err instanceof SalesforceError) return err;
  if (err instanceof ZodError)
    return sfErrors.JSON_PARSER_ERROR(err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  if (!isFastifyError(err)) return undefined;
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sfErrors.REQUEST_ENTITY_TOO_LARGE(MAX_BODY_BYTES);
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return sfErrors.UNSUPPORTED_MEDIA_TYPE(String(request.headers['content-type']));
  if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return cannotDeserialize('body', null);
  if (err.validation) return sfErrors.MALFORMED_QUERY(err.message);
  return undefined;
}

/** Installs the JSON parser, error handler and not-found handler that answer in Salesforce's shapes. */
export function installSalesforceErrors(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: MAX_BODY_BYTES },
    (_request, body, done) => {
      const text = String(body);
      // jsforce sends a JSON content type on body-less DELETEs too.
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch (err) {
        done(jsonParseError(text, err), undefined);
      }
    },
  );
  app.setErrorHandler((err, request, reply) => {
    if (err instanceof OAuthError) return reply.code(err.statusCode).send(err.toBody());
    const known = toSalesforceError(err, request);
    if (known) return reply.code(known.statusCode).send(known.toBody());
    request.log.error({ err }, 'unexpected error in the Salesforce sandbox');
    const failure = sfErrors.UNKNOWN_EXCEPTION(request.id);
    return reply.code(failure.statusCode).send(failure.toBody());
  });
  app.setNotFoundHandler((_request, reply) => {
    const err = sfErrors.NOT_FOUND();
    return reply.code(err.statusCode).send(err.toBody());
  });
}

/** Counts the call, applies faults and adds `Sforce-Limit-Info`: for every Salesforce API route. */
export function installApiHooks(app: FastifyInstance, ctx: SandboxContext, limited: boolean): void {
  app.addHook('onRequest', async (request, reply) => {
    ctx.stats.record(request.method, request.routeOptions.url ?? request.url);
    const fault = await ctx.faults.onApiCall(limited);
    if (fault) return reply.code(fault.statusCode).send(fault.toBody());
  });
  app.addHook('onSend', async (request, reply, payload) => {
    // The write is committed; its answer never reaches the client.
    if (limited && reply.statusCode < 300 && ctx.faults.losesAnswer(request.method)) request.raw.socket.destroy();
    reply.header('Sforce-Limit-Info', `api-usage=${ctx.stats.used}/${DAILY_API_LIMIT}`);
    return payload;
  });
}

/** `v60.0` -> `60.0`; a retired version is 410 GONE, one that never existed NOT_FOUND (see `versions.ts`). */
export function apiVersion(request: FastifyRequest): string {
  const raw = (request.params as { version?: string }).version ?? '';
  const version = raw.startsWith('v') ? raw.slice(1) : '';
  const status = versionStatus(version);
  if (status === 'retired') throw sfErrors.API_VERSION_RETIRED(version);
  if (status === 'unknown') throw sfErrors.NOT_FOUND();
  return version;
}

/** Rejects calls without a live session (401 INVALID_SESSION_ID), so jsforce refreshes and retries. */
export function requireSession(ctx: SandboxContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    apiVersion(request);
    const session = ctx.sessions.fromHeader(request.headers.authorization);
    if (session) {
      request.salesforceUserId = session.userId;
      return;
    }
    const err = sfErrors.INVALID_SESSION_ID();
    return reply.code(err.statusCode).send(err.toBody());
  };
}

/** The `client=` option of `Sforce-Call-Options` (`;` and `,` separated forms both occur). */
export function callOptionsClient(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  for (const part of value.split(/[;,]/)) {
    const [key, ...rest] = part.trim().split('=');
    if (key?.trim().toLowerCase() === 'client' && rest.length > 0) return rest.join('=').trim();
  }
  return undefined;
}

/** Who an API write is by: the session's user, and `com/salesforce/api/rest/<version>[;client=<id>]`. */
export function apiActor(request: FastifyRequest): Actor {
  const client = callOptionsClient(request.headers['sforce-call-options']);
  const origin = `com/salesforce/api/rest/${apiVersion(request)}`;
  return { userId: request.salesforceUserId ?? '', changeOrigin: client ? `${origin};client=${client}` : origin };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireSession` for Salesforce data API routes. */
    salesforceUserId?: string;
  }
}

/** `GET /services/data`: the API versions the org serves, oldest first. */
export function apiVersionList(): Array<{ label: string; url: string; version: string }> {
  return servedVersions().map((v) => ({ label: `API ${v}`, url: `/services/data/v${v}`, version: v }));
}
