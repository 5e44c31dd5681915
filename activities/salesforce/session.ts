/**
 * One authorized jsforce Connection per process, by the OAuth client-credentials flow. jsforce refreshes on a
 * REST 401 only through a refresh function, and its default one needs a refresh token that this flow never gets,
 * so the refresh function re-runs the grant.
 */
import { Connection } from 'jsforce';
import { errors, type TandemError } from '../../common/errors';

export interface SalesforceSettings {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  apiVersion: string;
  /** Sent as `Sforce-Call-Options: client=…`, so CDC events of Tandem's writes can be recognised. */
  clientName: string;
}

export class SalesforceSession {
  private connecting: Promise<Connection> | undefined;

  constructor(readonly settings: SalesforceSettings) {}

  /** The authorized connection, logging in on first use (and again after a failed login). */
  connection(): Promise<Connection> {
    this.connecting ??= this.login().catch((err: unknown) => {
      this.connecting = undefined;
      throw err;
    });
    return this.connecting;
  }

  /** Forgets the session so the next call logs in again (after the streaming API reported it invalid). */
  reset(): void {
    this.connecting = undefined;
  }

  private async login(): Promise<Connection> {
    const { loginUrl, clientId, clientSecret, apiVersion, clientName } = this.settings;
    const conn = new Connection({
      oauth2: { loginUrl, clientId, clientSecret },
      version: apiVersion,
      callOptions: { client: clientName },
      refreshFn: (c, callback) => {
        c.oauth2.requestToken({ grant_type: 'client_credentials' }).then(
          (token) => callback(null, token.access_token, token),
          (err: Error) => callback(err),
        );
      },
    });
    try {
      await conn.authorize({ grant_type: 'client_credentials' });
    } catch (err) {
      throw classifyLoginError(err);
    }
    return conn;
  }
}

function classifyLoginError(err: unknown): TandemError {
  const name = err instanceof Error ? err.name : '';
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'invalid_client' || name === 'invalid_grant' || name === 'unauthorized_client')
    return errors.SALESFORCE_AUTH_FAILED(`${name}: ${message}`);
  return errors.SALESFORCE_UNAVAILABLE(`login: ${message}`);
}
