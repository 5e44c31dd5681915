/**
 * A client of the operator API, for the `tandem status|resync` commands and the demo console. Failures come
 * back as Tandem errors whose messages tell an operator what to do.
 */
import got, { HTTPError, RequestError, type Got } from 'got';
import { errors, type TandemError } from '../../common/errors';
import { toSalesforceId18 } from '../../common/salesforce-id';
import type { ProjectSyncView } from '../../workflows/project-sync/messages';
import type { ProjectSummary } from './projects';

export interface OperatorClientOptions {
  baseUrl: string;
  token?: string;
  /** A resync with wait=true lasts as long as both systems take to answer. */
  timeoutMs?: number;
}

export interface OperatorClient {
  baseUrl: string;
  listProjects(): Promise<ProjectSummary[]>;
  project(salesforceId: string): Promise<ProjectSyncView>;
  /** Re-reads both sides and answers with the state once the workflow has synced them. */
  resync(salesforceId: string): Promise<ProjectSyncView>;
}

interface ErrorBody {
  code?: string;
  message?: string;
}

function errorBody(err: HTTPError): ErrorBody {
  const body: unknown = err.response.body;
  if (body && typeof body === 'object' && !Buffer.isBuffer(body)) return body as ErrorBody;
  try {
    return JSON.parse(String(body)) as ErrorBody;
  } catch {
    return {};
  }
}

/** What went wrong, in operator terms; `salesforceId` names the record a 404 is about. */
export function explainFailure(err: unknown, baseUrl: string, salesforceId?: string): TandemError | Error {
  if (err instanceof HTTPError) {
    const body = errorBody(err);
    if (body.code === errors.PROJECT_NOT_FOUND.code && salesforceId) return errors.PROJECT_NOT_FOUND(salesforceId);
    if (err.response.statusCode === 401)
      return errors.OPERATOR_API_FAILED(
        401,
        'a valid bearer token is required: set TANDEM_API_TOKEN to the ingress token',
      );
    return errors.OPERATOR_API_FAILED(err.response.statusCode, body.message ?? err.message);
  }
  if (err instanceof RequestError) return errors.INGRESS_UNREACHABLE(err.code ?? err.message, baseUrl);
  return err instanceof Error ? err : new Error(String(err));
}

export function operatorClient(options: OperatorClientOptions): OperatorClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const http: Got = got.extend({
    prefixUrl: baseUrl,
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    // An operator wants the answer now; a retried refused connection only delays the message.
    retry: { limit: 0 },
    timeout: { request: options.timeoutMs ?? 60_000 },
    responseType: 'json',
  });
  const call = async <T>(request: () => Promise<T>, salesforceId?: string): Promise<T> => {
    try {
      return await request();
    } catch (err) {
      throw explainFailure(err, baseUrl, salesforceId);
    }
  };
  // The CLI takes either form of an id; the API is asked about the 18-character one.
  const id = (salesforceId: string) => encodeURIComponent(toSalesforceId18(salesforceId) ?? salesforceId);

  return {
    baseUrl,
    listProjects: () =>
      call(async () => (await http.get('api/projects').json<{ projects: ProjectSummary[] }>()).projects),
    project: (salesforceId) =>
      call(() => http.get(`api/projects/${id(salesforceId)}`).json<ProjectSyncView>(), salesforceId),
    resync: (salesforceId) =>
      call(
        () =>
          http
            .post(`api/projects/${id(salesforceId)}/resync`, { searchParams: { wait: true } })
            .json<ProjectSyncView>(),
        salesforceId,
      ),
  };
}

export const DEFAULT_OPERATOR_API_URL = 'http://127.0.0.1:3000';

/** The CLI's client: TANDEM_API_URL (default the local ingress) and TANDEM_API_TOKEN. */
export function operatorClientFromEnv(env: NodeJS.ProcessEnv = process.env): OperatorClient {
  return operatorClient({
    baseUrl: env.TANDEM_API_URL || DEFAULT_OPERATOR_API_URL,
    token: env.TANDEM_API_TOKEN || undefined,
  });
}
