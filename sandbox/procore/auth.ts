/**
 * OAuth 2.0 client credentials as Procore's login host runs it (Doorkeeper): `POST /oauth/token` with a JSON,
 * form or multipart body, `GET /oauth/token/info`, `POST /oauth/revoke`. Tokens are signed, JWT-like strings
 * (HMAC over the client secret), so they stay valid across a sandbox restart until they expire.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Company } from './company';
import { procoreErrors } from './errors';
import { parseMultipartFields } from './multipart';

export interface Credentials {
  clientId: string;
  clientSecret: string;
}

export interface TokenClaims {
  sub: string;
  iat: number;
  exp: number;
  jti: string;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

function sameText(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export class TokenAuthority {
  private readonly key: Buffer;
  private readonly revoked = new Set<string>();

  constructor(
    readonly credentials: Credentials,
    readonly lifetimeSeconds: number,
  ) {
    this.key = createHash('sha256')
      .update(`procore-sandbox:${credentials.clientId}:${credentials.clientSecret}`)
      .digest();
  }

  checkClient(clientId: string | undefined, clientSecret: string | undefined): boolean {
    if (!clientId || !clientSecret) return false;
    return sameText(clientId, this.credentials.clientId) && sameText(clientSecret, this.credentials.clientSecret);
  }

  issue(): { access_token: string; token_type: 'bearer'; expires_in: number; created_at: number } {
    const iat = nowSeconds();
    const claims: TokenClaims = {
      sub: this.credentials.clientId,
      iat,
      exp: iat + this.lifetimeSeconds,
      jti: randomUUID(),
    };
    const unsigned = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
    const token = `${unsigned}.${this.sign(unsigned)}`;
    return { access_token: token, token_type: 'bearer', expires_in: this.lifetimeSeconds, created_at: iat };
  }

  /** The claims of a genuine token, expired or not; null for anything forged or malformed. */
  decode(token: string): TokenClaims | null {
    const parts = token.split('.');
    if (parts.length !== 3 || !sameText(this.sign(`${parts[0]}.${parts[1]}`), parts[2])) return null;
    try {
      return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return null;
    }
  }

  /** The claims of a token that may be used now. */
  verify(token: string | null): TokenClaims | null {
    const claims = token ? this.decode(token) : null;
    if (!claims || claims.exp <= nowSeconds() || this.revoked.has(claims.jti)) return null;
    return claims;
  }

  revoke(token: string): void {
    const claims = this.decode(token);
    if (claims) this.revoked.add(claims.jti);
  }

  private sign(unsigned: string): string {
    return createHmac('sha256', this.key).update(unsigned).digest('base64url');
  }
}

export function bearerToken(request: FastifyRequest): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match ? match[1] : null;
}

/** HTTP Basic client authentication, which Doorkeeper accepts as an alternative to body parameters. */
function basicCredentials(request: FastifyRequest): { client_id?: string; client_secret?: string } {
  const match = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match) return {};
  const [id, ...secret] = Buffer.from(match[1], 'base64').toString('utf8').split(':');
  return { client_id: decodeURIComponent(id), client_secret: decodeURIComponent(secret.join(':')) };
}

const tokenBodySchema = z
  .object({
    grant_type: z.string().optional(),
    client_id: z.string().optional(),
    client_secret: z.string().optional(),
  })
  .nullish();
type TokenBody = z.output<typeof tokenBodySchema>;

// An empty body (no parameters) reads as undefined: the endpoint then answers in OAuth's own error shape.
const revokeBodySchema = z.object({ token: z.string().optional() }).nullish();
type RevokeBody = z.output<typeof revokeBodySchema>;

/** The login-host endpoints, in their own encapsulated plugin so only they accept form and multipart bodies. */
export function oauthRoutes(authority: TokenAuthority, company: Company) {
  return async function oauthPlugin(app: FastifyInstance): Promise<void> {
    await app.register(formbody);
    app.addContentTypeParser('multipart/form-data', { parseAs: 'string' }, (request, body, done) => {
      try {
        done(null, parseMultipartFields(String(body), request.headers['content-type'] ?? ''));
      } catch (err) {
        done(err as Error, undefined);
      }
    });

    app.post<{ Body: TokenBody }>('/oauth/token', { schema: { body: tokenBodySchema } }, async (request, reply) => {
      const body = { ...basicCredentials(request), ...request.body };
      if (!body.grant_type) throw procoreErrors.OAUTH_INVALID_REQUEST();
      if (body.grant_type !== 'client_credentials') throw procoreErrors.OAUTH_UNSUPPORTED_GRANT();
      if (!authority.checkClient(body.client_id, body.client_secret)) throw procoreErrors.OAUTH_INVALID_CLIENT();
      return reply.header('Cache-Control', 'no-store').send(authority.issue());
    });

    app.get('/oauth/token/info', async (request) => {
      const claims = authority.verify(bearerToken(request));
      if (!claims) throw procoreErrors.OAUTH_INVALID_TOKEN();
      return {
        resource_owner_id: company.serviceAccount.id,
        scopes: [],
        expires_in_seconds: Math.max(claims.exp - nowSeconds(), 0),
        // The client id: what webhook metadata.source_application_id carries for this client's changes.
        application: { uid: claims.sub },
        created_at: claims.iat,
      };
    });

    // Like Doorkeeper, revoke answers 200 even for an unknown token, so it reveals nothing.
    app.post<{ Body: RevokeBody }>('/oauth/revoke', { schema: { body: revokeBodySchema } }, async (request) => {
      const token = request.body?.token;
      if (token) authority.revoke(token);
      return {};
    });
  };
}
