/**
 * Plain HTTP the way procore-oss/ruby-sdk (lib/procore/requestable.rb) sends it: every request, DELETE and GET
 * included, carries `Accepts` and `Content-Type: application/json`, a bearer token, a `User-Agent` and a lowercase
 * `procore-company-id`; POST and PATCH bodies are JSON text; GET and DELETE put their parameters in the query and
 * send no body at all. Node's own http module, so nothing rewrites the request on the way.
 */
import http from 'node:http';
import type { ProcoreSandbox } from '../../../sandbox/procore';
import { fetchToken } from './support';

export interface SdkResponse<T = unknown> {
  status: number;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: T;
}

type Query = Record<string, string | number>;

export interface RubySdkClient {
  get<T = unknown>(path: string, query?: Query): Promise<SdkResponse<T>>;
  post<T = unknown>(path: string, body: unknown): Promise<SdkResponse<T>>;
  patch<T = unknown>(path: string, body: unknown): Promise<SdkResponse<T>>;
  delete<T = unknown>(path: string, query?: Query): Promise<SdkResponse<T>>;
}

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function send<T>(url: URL, method: string, headers: Record<string, string>, payload?: string): Promise<SdkResponse<T>> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, headers: response.headers, raw, body: parse(raw) as T });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(payload);
  });
}

export async function rubySdkClient(sandbox: ProcoreSandbox): Promise<RubySdkClient> {
  const token = await fetchToken(sandbox);
  const headers = {
    Accepts: 'application/json',
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/json',
    'User-Agent': 'Procore Ruby Gem',
    'procore-company-id': String(sandbox.companyId),
  };
  const url = (path: string, query: Query = {}) => {
    const target = new URL(`/rest/v1.0/${path}`.replace('/rest/v1.0/rest/', '/rest/'), sandbox.url);
    for (const [key, value] of Object.entries(query)) target.searchParams.set(key, String(value));
    return target;
  };
  const withBody =
    (method: string) =>
    <T>(path: string, body: unknown) => {
      const payload = JSON.stringify(body);
      return send<T>(url(path), method, { ...headers, 'Content-Length': String(Buffer.byteLength(payload)) }, payload);
    };
  return {
    get: (path, query) => send(url(path, query), 'GET', headers),
    post: withBody('POST'),
    patch: withBody('PATCH'),
    delete: (path, query) => send(url(path, query), 'DELETE', headers),
  };
}
