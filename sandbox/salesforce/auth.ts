/**
 * OAuth for the sandbox org: the client-credentials and username-password grants of one connected app, the
 * access tokens they issue, and looking a token up from an `Authorization` header (`Bearer` for REST, `OAuth`
 * as jsforce's streaming client sends it). Tokens live until the sandbox is told to expire every session.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { oauthErrors } from './errors';
import { INTEGRATION_USER_ID, ORG_ID } from './ids';

export interface ConnectedApp {
  clientId: string;
  clientSecret: string;
  /** The integration user's login, for the password grant. */
  username: string;
  password: string;
}

export interface Session {
  accessToken: string;
  userId: string;
  issuedAt: number;
}

export interface TokenResponse {
  access_token: string;
  instance_url: string;
  id: string;
  token_type: 'Bearer';
  issued_at: string;
  signature: string;
  scope: string;
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Tokens kept at most; the oldest go first, as if their sessions had timed out. */
const MAX_SESSIONS = 10_000;

export class Sessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly app: ConnectedApp) {}

  /** Runs an OAuth token request (form fields) and returns the new session, or throws Salesforce's OAuth error. */
  grant(params: Record<string, string | undefined>): Session {
    const grantType = params.grant_type;
    if (grantType !== 'client_credentials' && grantType !== 'password') throw oauthErrors.UNSUPPORTED_GRANT_TYPE();
    if (params.client_id !== this.app.clientId) throw oauthErrors.INVALID_CLIENT_ID();
    if (!sameSecret(params.client_secret, this.app.clientSecret)) throw oauthErrors.INVALID_CLIENT();
    if (grantType === 'password' && !this.validLogin(params.username, params.password))
      throw oauthErrors.INVALID_GRANT();
    return this.issue();
  }

  private validLogin(username: string | undefined, password: string | undefined): boolean {
    return username?.toLowerCase() === this.app.username.toLowerCase() && sameSecret(password, this.app.password);
  }

  private issue(): Session {
    const session: Session = {
      accessToken: `${ORG_ID.slice(0, 15)}!${randomBytes(48).toString('base64url')}`,
      userId: INTEGRATION_USER_ID,
      issuedAt: Date.now(),
    };
    this.sessions.set(session.accessToken, session);
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    return session;
  }

  /** The session behind an `Authorization: Bearer|OAuth <token>` header, if it is still valid. */
  fromHeader(header: string | undefined): Session | undefined {
    const match = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header ?? '');
    return match ? this.sessions.get(match[1]!) : undefined;
  }

  /** Invalidates every issued token, as an admin revoking sessions (or their timeout) would. */
  expireAll(): number {
    const count = this.sessions.size;
    this.sessions.clear();
    return count;
  }

  tokenResponse(session: Session, baseUrl: string): TokenResponse {
    const id = `${baseUrl}/id/${ORG_ID}/${session.userId}`;
    const issuedAt = String(session.issuedAt);
    // Salesforce signs id + issued_at with the client secret, so a client can check the response is genuine.
    const signature = createHmac('sha256', this.app.clientSecret)
      .update(id + issuedAt)
      .digest('base64');
    return {
      access_token: session.accessToken,
      instance_url: baseUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
      signature,
      scope: 'api',
    };
  }
}
