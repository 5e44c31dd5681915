/**
 * Clients for the Salesforce sandbox that are not jsforce: plain HTTP (Node's fetch) for REST and OAuth, and the
 * official CometD JavaScript client, run as a child process (`cometd-client.mjs`), for the Streaming API.
 */
import { eventually } from '../../support/eventually';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { CLIENT_ID, CLIENT_SECRET } from './helpers';

export interface TokenResponse {
  access_token: string;
  instance_url: string;
}

export function basicAuth(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** `POST /services/oauth2/token` with form fields, optionally an Authorization header. */
export async function tokenRequest(
  url: string,
  fields: Record<string, string>,
  authorization?: string,
): Promise<Response> {
  return fetch(`${url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
    body: new URLSearchParams(fields).toString(),
  });
}

/** A client-credentials token, the client authenticating with HTTP Basic as simple-salesforce does. */
export async function basicToken(url: string): Promise<string> {
  const res = await tokenRequest(url, { grant_type: 'client_credentials' }, basicAuth(CLIENT_ID, CLIENT_SECRET));
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as TokenResponse).access_token;
}

/** REST calls with a bearer token and JSON bodies. */
export class RestClient {
  constructor(
    readonly url: string,
    readonly token: string,
    readonly version = '60.0',
  ) {}

  request(method: string, resource: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const full = resource.startsWith('/services/') ? resource : `/services/data/v${this.version}${resource}`;
    return fetch(`${this.url}${full}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async json<T>(method: string, resource: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const res = await this.request(method, resource, body, headers);
    if (!res.ok) throw new Error(`${method} ${resource}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async create(fields: Record<string, unknown>): Promise<string> {
    return (await this.json<{ id: string }>('POST', '/sobjects/Project__c', fields)).id;
  }
}

export interface CometdLine {
  kind: 'meta' | 'event' | 'status';
  channel?: string;
  message?: { successful?: boolean; error?: string; advice?: Record<string, unknown>; [key: string]: unknown };
  status?: string;
  data?: {
    payload: { ChangeEventHeader: Record<string, unknown> } & Record<string, unknown>;
    event: { replayId: number };
  };
  /** Milliseconds since the client started. */
  at: number;
}

export interface CometdOptions {
  url: string;
  token: string;
  channel: string;
  replayFrom: number;
}

/** The official CometD client in a child process; its printed lines are collected for the test to wait on. */
export class CometdProcess {
  readonly lines: CometdLine[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly exited: Promise<void>;
  private stderr = '';

  constructor(options: CometdOptions) {
    const script = path.join(__dirname, 'cometd-client.mjs');
    this.child = spawn(process.execPath, [script, JSON.stringify(options)], { stdio: 'pipe' });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.lines.push(JSON.parse(line) as CometdLine));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  meta(channel: string): CometdLine[] {
    return this.lines.filter((l) => l.kind === 'meta' && l.channel === channel);
  }

  events(): NonNullable<CometdLine['data']>[] {
    return this.lines.flatMap((l) => (l.kind === 'event' && l.data ? [l.data] : []));
  }

  waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
    return eventually(probe, `${what} (CometD client stderr: ${this.stderr.slice(-500) || 'none'})`, timeoutMs, 20);
  }

  /** Disconnects the client and waits for the process to end; kills it if it does not within 5 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.stdin.write('disconnect\n');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}
