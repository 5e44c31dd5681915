/**
 * Test helpers for the Procore sandbox: start it in-process on a free port, talk to it through got 11 the way
 * Tandem's client will, receive its webhooks on a local Fastify server, and wait on conditions (never sleeps).
 */
import { eventually } from '../../support/eventually';
import Fastify, { type FastifyInstance } from 'fastify';
import got, { type Got } from 'got';
import {
  PROCORE_SANDBOX_DEFAULTS,
  startProcoreSandbox,
  type ProcoreSandbox,
  type ProcoreSandboxOptions,
} from '../../../sandbox/procore';

export const { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, companyId: COMPANY_ID } = PROCORE_SANDBOX_DEFAULTS;
export const COMMERCIAL = 562949953421401;
export const HEALTHCARE = 562949953421403;
export const PRE_CONSTRUCTION = 562949953421501;

export function startSandbox(options: ProcoreSandboxOptions = {}): Promise<ProcoreSandbox> {
  return startProcoreSandbox({ port: 0, logger: false, ...options });
}

/** A got instance that never throws on HTTP errors or retries, so tests can assert on every status. */
export function rawClient(sandbox: ProcoreSandbox): Got {
  return got.extend({ prefixUrl: sandbox.url, responseType: 'json', throwHttpErrors: false, retry: 0 });
}

export async function fetchToken(sandbox: ProcoreSandbox): Promise<string> {
  const response = await rawClient(sandbox).post<{ access_token: string }>('oauth/token', {
    json: { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
  });
  if (response.statusCode !== 200) throw new Error(`token request failed: ${response.statusCode}`);
  return response.body.access_token;
}

/** What Tandem's client sends on every REST call: the bearer token and `Procore-Company-Id`. */
export async function apiClient(sandbox: ProcoreSandbox): Promise<Got> {
  const token = await fetchToken(sandbox);
  return rawClient(sandbox).extend({
    headers: { authorization: `Bearer ${token}`, 'procore-company-id': String(sandbox.companyId) },
  });
}

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

export function waitFor<T>(condition: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<Truthy<T>> {
  return eventually(async () => ((await condition()) || undefined) as Truthy<T> | undefined, what, timeoutMs, 25);
}

export interface ReceivedWebhook {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  body: Record<string, unknown> & {
    ulid: string;
    event_type: string;
    resource_id: number;
    metadata: Record<string, unknown>;
  };
}

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** Answer the next `count` deliveries with `status` (as an endpoint that is down would). */
  failNext(count: number, status?: number): void;
  /** Hold the next answer this long (as an endpoint slower than the sandbox's timeout would). */
  delayNext(ms: number): void;
  attempts: number;
  close(): Promise<void>;
}

/** A local webhook endpoint on a free port; it records successful deliveries and counts every attempt. */
export async function startReceiver(): Promise<Receiver> {
  const app: FastifyInstance = Fastify();
  let failures = 0;
  let failStatus = 500;
  let delayMs = 0;
  const receiver: Receiver = {
    url: '',
    received: [],
    attempts: 0,
    failNext(count, status = 500) {
      failures = count;
      failStatus = status;
    },
    delayNext(ms) {
      delayMs = ms;
    },
    close: () => app.close(),
  };
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
    done(null, String(body)),
  );
  app.post('/procore/webhooks', async (request, reply) => {
    receiver.attempts += 1;
    if (delayMs > 0) {
      const wait = delayMs;
      delayMs = 0;
      await new Promise((resolve) => setTimeout(resolve, wait));
      return reply.code(204).send();
    }
    if (failures > 0) {
      failures -= 1;
      return reply.code(failStatus).send({ error: 'receiver told to fail' });
    }
    const raw = request.body as string;
    receiver.received.push({ headers: request.headers, raw, body: JSON.parse(raw) as ReceivedWebhook['body'] });
    return reply.code(204).send();
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  receiver.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/procore/webhooks`;
  return receiver;
}
