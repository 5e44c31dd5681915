/**
 * Procore REST client on got: client-credentials token kept fresh, the company header on every call, and
 * Procore's answers sorted into typed errors. got's own retries are off: Temporal retries activities, visibly,
 * after the delay Procore asked for (Retry-After or the rate-limit reset).
 */
import got, { type Got, type Method, type Response } from 'got';
import { errors, type TandemError } from '../../common/errors';

export interface ProcoreSettings {
  loginUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  companyId: number;
}

interface TokenResponse {
  access_token: string;
  expires_in?: number;
  created_at?: number;
}

export interface ProcoreRequest {
  /** URLSearchParams where a key repeats (`filters[id][]`). */
  searchParams?: Record<string, string | number> | URLSearchParams;
  json?: Record<string, unknown>;
  /** Epoch ms by which the request must have ended (answered or abandoned); the default timeout otherwise. */
  deadline?: number;
}

const REQUEST_TIMEOUT_MS = 20_000;

/** Renew this long before Procore says the token expires, so no call goes out with a dying token. */
const TOKEN_MARGIN_MS = 60_000;

export class ProcoreClient {
  private readonly http: Got;
  private token: { value: string; expiresAt: number } | undefined;
  private fetchingToken: Promise<string> | undefined;

  constructor(readonly settings: ProcoreSettings) {
    this.http = got.extend({
      prefixUrl: settings.apiUrl,
      responseType: 'json',
      throwHttpErrors: false,
      retry: { limit: 0 },
      timeout: { request: REQUEST_TIMEOUT_MS },
      headers: { 'user-agent': 'tandem-sync', 'procore-company-id': String(settings.companyId) },
    });
  }

  async request<T>(method: Method, path: string, options: ProcoreRequest = {}): Promise<T> {
    let response = await this.send(method, path, options);
    if (response.statusCode === 401) {
      // Revoked or expired early: one fresh token, one more try.
      this.token = undefined;
      response = await this.send(method, path, options);
    }
    if (response.statusCode < 300) return response.body as T;
    throw describeFailure(response, `${method} ${path}`);
  }

  private async send(method: Method, path: string, options: ProcoreRequest): Promise<Response<unknown>> {
    const token = await this.accessToken();
    const left =
      options.deadline === undefined ? REQUEST_TIMEOUT_MS : Math.min(REQUEST_TIMEOUT_MS, options.deadline - Date.now());
    if (left <= 0) throw errors.PROCORE_UNAVAILABLE(`${method} ${path}: no time left before the activity's deadline`);
    try {
      return await this.http(path.replace(/^\//, ''), {
        method,
        searchParams: options.searchParams,
        json: options.json,
        headers: { authorization: `Bearer ${token}` },
        timeout: { request: left },
      });
    } catch (err) {
      throw errors.PROCORE_UNAVAILABLE(`${method} ${path}: ${(err as Error).message}`);
    }
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt - TOKEN_MARGIN_MS > Date.now()) return this.token.value;
    this.fetchingToken ??= this.fetchToken().finally(() => {
      this.fetchingToken = undefined;
    });
    return this.fetchingToken;
  }

  private async fetchToken(): Promise<string> {
    const { loginUrl, clientId, clientSecret } = this.settings;
    let response: Response<unknown>;
    try {
      response = await got.post(new URL('/oauth/token', loginUrl), {
        json: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
        responseType: 'json',
        throwHttpErrors: false,
        retry: { limit: 0 },
        timeout: { request: 20_000 },
      });
    } catch (err) {
      throw errors.PROCORE_UNAVAILABLE(`token: ${(err as Error).message}`);
    }
    if (response.statusCode >= 500 || response.statusCode === 429) throw describeFailure(response, 'POST /oauth/token');
    const body = response.body as Partial<TokenResponse> | undefined;
    if (response.statusCode !== 200 || !body?.access_token)
      throw errors.PROCORE_AUTH_FAILED(`${response.statusCode} ${messageOf(response.body)}`);
    const lifetimeMs = (body.expires_in ?? 5400) * 1000;
    this.token = { value: body.access_token, expiresAt: Date.now() + lifetimeMs };
    return body.access_token;
  }
}

/** Procore's error bodies are not uniform: a string, `{errors: "…"}`, `{error: …}`, `{message}`, or field errors. */
export function messageOf(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 500);
  if (!body || typeof body !== 'object') return 'no details';
  const record = body as Record<string, unknown>;
  for (const key of ['errors', 'error', 'message']) {
    const value = record[key];
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object') return JSON.stringify(value);
  }
  return JSON.stringify(body).slice(0, 500);
}

function retryDelayMs(response: Response<unknown>): number {
  const retryAfter = Number(response.headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000;
  const reset = Number(response.headers['x-rate-limit-reset']);
  if (Number.isFinite(reset) && reset > 0) return Math.max(1000, reset * 1000 - Date.now());
  return 1000;
}

function describeFailure(response: Response<unknown>, what: string): TandemError {
  const status = response.statusCode;
  if (status === 429) {
    const err = errors.PROCORE_RATE_LIMITED(retryDelayMs(response));
    err.retryAfterMs = retryDelayMs(response);
    return err;
  }
  if (status >= 500 || status === 408) {
    const err = errors.PROCORE_UNAVAILABLE(`${what} answered ${status}: ${messageOf(response.body)}`);
    if (response.headers['retry-after']) err.retryAfterMs = retryDelayMs(response);
    return err;
  }
  if (status === 404) return errors.PROCORE_PROJECT_NOT_FOUND(what);
  if (status === 401 || status === 403)
    return errors.PROCORE_AUTH_FAILED(`${what} answered ${status}: ${messageOf(response.body)}`);
  return withRejectedFields(errors.PROCORE_REJECTED(String(status), messageOf(response.body)), response.body);
}

/** Procore's 422 names the fields it refused as the keys of `errors` (`{"errors": {"name": ["can't be blank"]}}`). */
function withRejectedFields(err: TandemError, body: unknown): TandemError {
  const details: unknown = body && typeof body === 'object' && 'errors' in body ? body.errors : undefined;
  if (details && typeof details === 'object' && !Array.isArray(details)) {
    const fields = Object.keys(details);
    if (fields.length > 0) err.field = fields.join(', ');
  }
  return err;
}
