/** Shared set-up for the Salesforce sandbox tests: a sandbox on a free port, jsforce connections, waiting helpers. */
import { eventually } from '../../support/eventually';
import jsforce, { type Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/api/streaming';
import {
  SANDBOX_DEFAULTS,
  startSalesforceSandbox,
  type SalesforceSandbox,
  type SalesforceSandboxOptions,
} from '../../../sandbox/salesforce';

export const {
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  username: USERNAME,
  password: PASSWORD,
} = SANDBOX_DEFAULTS;
export const CHANNEL = '/data/Project__ChangeEvent';
export const VERSION = '60.0';

export function startSandbox(options: SalesforceSandboxOptions = {}): Promise<SalesforceSandbox> {
  return startSalesforceSandbox({ port: 0, logger: false, ...options });
}

/** A connection as the sync engine builds it: client-credentials grant, `client=tandem` call option, re-grant on 401. */
export async function connect(url: string, client = 'tandem'): Promise<Connection> {
  const conn = new jsforce.Connection({
    oauth2: { loginUrl: url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    version: VERSION,
    callOptions: { client },
    // jsforce's default refresh needs a refresh token, which client credentials never give: grant again instead.
    refreshFn: (c, callback) => {
      c.oauth2
        .requestToken({ grant_type: 'client_credentials' })
        .then((res) => callback(null, res.access_token, res))
        .catch((err: Error) => callback(err));
    },
  });
  await conn.authorize({ grant_type: 'client_credentials' });
  return conn;
}

export async function control(url: string, path: string, method = 'POST', body?: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export interface ChangeEvent {
  schema: string;
  payload: { ChangeEventHeader: Record<string, unknown> } & Record<string, unknown>;
  event: { replayId: number };
}

type FayeClient = ReturnType<Connection['streaming']['createClient']> & { disconnect(): PromiseLike<void> | undefined };

/** faye's disconnect answers with a thenable, or nothing when the client is not connected. */
export async function disconnect(client: unknown): Promise<void> {
  await (client as FayeClient).disconnect();
}

/** A streaming client with the Replay and AuthFailure extensions, collecting what it receives. */
export class Subscriber {
  readonly events: ChangeEvent[] = [];
  authFailures = 0;
  readonly client: FayeClient;
  readonly subscription: Promise<void>;

  constructor(conn: Connection, replayFrom: number, channel = CHANNEL) {
    this.client = conn.streaming.createClient([
      new StreamingExtension.AuthFailure(() => {
        this.authFailures++;
      }),
      new StreamingExtension.Replay(channel, replayFrom),
    ]) as FayeClient;
    const subscription = this.client.subscribe(channel, (data: ChangeEvent) => this.events.push(data));
    this.subscription = Promise.resolve(subscription);
  }

  async waitForEvents(count: number, timeoutMs = 5000): Promise<ChangeEvent[]> {
    await eventually(
      () => this.events.length >= count,
      `${count} change events (have ${this.events.length})`,
      timeoutMs,
      20,
    );
    return this.events;
  }

  /** Disconnects and waits for the reply, so no faye retry timer outlives the test. */
  async stop(): Promise<void> {
    await disconnect(this.client);
  }
}
