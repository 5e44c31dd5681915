/**
 * `POST /services/oauth2/token`: the client-credentials and password grants, form-encoded as Salesforce takes them.
 *
 * The client authenticates either with `client_id`/`client_secret` form fields or with HTTP Basic, `Authorization:
 * Basic base64(urlencode(client_id) ":" urlencode(client_secret))` and only the grant's own fields in the body (RFC
 * 6749 section 2.3.1: servers MUST support Basic for clients with a password; Salesforce accepts it, and
 * simple-salesforce's client-credentials login sends exactly this). RFC 6749 forbids using more than one method in
 * one request; the sandbox answers that with `invalid_request` unless both carry the same client id and secret
 * (Salesforce's answer is not documented: the stricter choice, so a client cannot come to depend on it). A Basic
 * header that does not decode to `id:secret` is `invalid_client`.
 */
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context';
import { oauthErrors } from '../errors';

type FormFields = Record<string, string | undefined>;
interface ClientCredentials {
  client_id: string;
  client_secret: string;
}

/** Form fields as single strings; a repeated field counts by its first value. */
function formFields(body: unknown): FormFields {
  if (typeof body !== 'object' || body === null) return {};
  const fields: FormFields = {};
  for (const [key, value] of Object.entries(body)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    fields[key] = typeof first === 'string' ? first : undefined;
  }
  return fields;
}

function formDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

/** The client id and secret of an `Authorization: Basic` header; undefined when the header is not Basic. */
export function basicClientCredentials(header: string | undefined): ClientCredentials | undefined {
  const match = /^Basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw oauthErrors.MALFORMED_BASIC_AUTH();
  try {
    return { client_id: formDecode(decoded.slice(0, colon)), client_secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw oauthErrors.MALFORMED_BASIC_AUTH();
  }
}

/** The grant's fields with the client's credentials from whichever method it used. */
function grantFields(body: unknown, authorization: string | undefined): FormFields {
  const fields = formFields(body);
  const basic = basicClientCredentials(authorization);
  if (!basic) return fields;
  const inBody = fields.client_id !== undefined || fields.client_secret !== undefined;
  const same = fields.client_id === basic.client_id && fields.client_secret === basic.client_secret;
  if (inBody && !same) throw oauthErrors.CONFLICTING_CLIENT_AUTH();
  return { ...fields, ...basic };
}

export async function oauthRoutes(app: FastifyInstance, ctx: SandboxContext): Promise<void> {
  await app.register(formbody);
  app.post('/services/oauth2/token', async (request) => {
    const session = ctx.sessions.grant(grantFields(request.body, request.headers.authorization));
    return ctx.sessions.tokenResponse(session, ctx.baseUrl());
  });
}
