/**
 * The Streaming API half of the sandbox seen by clients other than jsforce: the official CometD JavaScript client,
 * raw Bayeux over HTTP (as aiosfstream and other clients send it), and a bare faye client.
 */
import type { SalesforceSandbox } from '../../../sandbox/salesforce';
import { eventually } from '../../support/eventually';
import { CHANNEL, control, startSandbox } from './helpers';
import { CometdProcess, RestClient, basicToken } from './http-clients';

let sandbox: SalesforceSandbox;
let rest: RestClient;
const clients: CometdProcess[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  rest = new RestClient(sandbox.url, await basicToken(sandbox.url));
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  await sandbox.close();
});

function officialClient(version: string, replayFrom: number, token = rest.token): CometdProcess {
  const client = new CometdProcess({ url: `${sandbox.url}/cometd/${version}`, token, channel: CHANNEL, replayFrom });
  clients.push(client);
  return client;
}

type Bayeux = Array<Record<string, unknown> & { successful?: boolean; channel: string }>;

async function bayeux(path: string, messages: unknown[], token = rest.token): Promise<Bayeux> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `OAuth ${token}` },
    body: JSON.stringify(messages),
  });
  return (await res.json()) as Bayeux;
}

async function cometdRequests(): Promise<number> {
  const stats = (await (await control(sandbox.url, '/sandbox/stats', 'GET')).json()) as { api: Record<string, number> };
  return stats.api['POST /cometd/:version'] ?? 0;
}

function headerOf(event: { payload: { ChangeEventHeader: Record<string, unknown> } }): Record<string, unknown> {
  return event.payload.ChangeEventHeader;
}

describe('the official CometD client', () => {
  it('connects at once on /cometd/45.0, replays from -2 and receives live change events', async () => {
    const before = await rest.create({ Name: 'Before the CometD client' });
    const client = officialClient('45.0', -2);

    const handshake = await client.waitFor(() => client.meta('/meta/handshake')[0], 'the handshake reply');
    expect(handshake.message).toMatchObject({
      successful: true,
      supportedConnectionTypes: ['long-polling'],
      ext: { replay: true, 'payload.format': true },
    });
    const connect = await client.waitFor(() => client.meta('/meta/connect')[0], 'the first connect reply', 5_000);
    expect(connect.message).toMatchObject({
      successful: true,
      advice: { reconnect: 'retry', interval: 0, timeout: 110000 },
    });
    const subscribed = () => client.meta('/meta/subscribe').find((l) => l.message?.successful);
    await client.waitFor(subscribed, 'the subscribe reply');

    const replayed = await client.waitFor(
      () => client.events().find((e) => (headerOf(e).recordIds as string[]).includes(before)),
      'the retained CREATE event',
    );
    expect(headerOf(replayed)).toMatchObject({ changeType: 'CREATE', entityName: 'Project__c' });

    const live = await rest.create({ Name: 'While the CometD client listens' });
    const event = await client.waitFor(
      () => client.events().find((e) => (headerOf(e).recordIds as string[]).includes(live)),
      'the live CREATE event',
    );
    expect(event.event.replayId).toBeGreaterThan(replayed.event.replayId);
    expect(headerOf(event).changeOrigin).toBe('com/salesforce/api/rest/60.0');
  });

  it('stops after a handshake on a retired version, instead of handshaking again', async () => {
    const client = officialClient('30.0', -1);
    const handshake = await client.waitFor(() => client.meta('/meta/handshake')[0], 'the handshake reply');
    expect(handshake.message).toMatchObject({
      successful: false,
      error: '400::API version 30.0 is not supported',
      advice: { reconnect: 'none', interval: 0 },
      supportedConnectionTypes: ['long-polling'],
    });
    const settled = await client.waitFor(() => client.lines.find((l) => l.kind === 'status'), 'the client to settle');
    expect(settled.status).toBe('disconnected');
    expect(client.meta('/meta/handshake')).toHaveLength(1);
  });

  it('is told its session is invalid, and stops', async () => {
    const client = officialClient('60.0', -1, 'not-a-token');
    const handshake = await client.waitFor(() => client.meta('/meta/handshake')[0], 'the handshake reply');
    expect(handshake.message).toMatchObject({
      successful: false,
      error: '403::Handshake denied',
      ext: { sfdc: { failureReason: '401::Authentication invalid' } },
      advice: { reconnect: 'none' },
      supportedConnectionTypes: ['long-polling'],
    });
    const settled = await client.waitFor(() => client.lines.find((l) => l.kind === 'status'), 'the client to settle');
    expect(settled.status).toBe('disconnected');
  });
});

describe('raw Bayeux long-polling', () => {
  it('answers the first connect after a handshake at once and holds the next one as the long poll', async () => {
    const [handshake] = await bayeux('/cometd/45.0', [
      { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'], id: '1' },
    ]);
    const clientId = String(handshake!.clientId);

    // No advice in the connect, as aiosfstream sends it: the reply must still come at once, not after 110 s.
    const started = Date.now();
    const first = await bayeux('/cometd/45.0', [
      { channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '2' },
    ]);
    const firstConnectMs = Date.now() - started;
    expect(first).toEqual([
      {
        channel: '/meta/connect',
        clientId,
        id: '2',
        successful: true,
        advice: { reconnect: 'retry', interval: 0, timeout: 110000 },
      },
    ]);
    expect(firstConnectMs).toBeLessThan(5_000);

    const [subscribed] = await bayeux('/cometd/45.0', [
      { channel: '/meta/subscribe', clientId, subscription: CHANNEL, id: '3', ext: { replay: { [CHANNEL]: -1 } } },
    ]);
    expect(subscribed).toMatchObject({ successful: true, subscription: CHANNEL });

    const requestsBefore = await cometdRequests();
    const secondConnect = { channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '4' };
    const held = bayeux('/cometd/45.0', [secondConnect]);
    // Once the sandbox has the second connect, a change made now can only reach it if the connect is being held.
    await eventually(async () => (await cometdRequests()) > requestsBefore, 'the second connect to arrive', 5_000, 20);
    const id = await rest.create({ Name: 'Delivered on the held connect' });
    const reply = await held;
    expect(reply.find((m) => m.channel === '/meta/connect')).toMatchObject({ successful: true, id: '4' });
    const event = reply.find((m) => m.channel === CHANNEL);
    const header = { recordIds: [id], changeType: 'CREATE' };
    expect(event).toMatchObject({ data: { payload: { ChangeEventHeader: header } } });
    await bayeux('/cometd/45.0', [{ channel: '/meta/disconnect', clientId, id: '5' }]);
    console.info(`first /meta/connect after the handshake answered in ${firstConnectMs} ms`);
  });

  it('serves every version from 31.0 up and refuses older ones with long-polling only and reconnect none', async () => {
    const handshakeOn = async (version: string) =>
      (
        await bayeux(`/cometd/${version}`, [
          { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'], id: '1' },
        ])
      )[0]!;
    for (const version of ['31.0', '45.0', '64.0']) {
      const reply = await handshakeOn(version);
      expect(reply).toMatchObject({ successful: true, supportedConnectionTypes: ['long-polling'] });
    }
    for (const version of ['30.0', '20.0', '65.0', '60']) {
      expect(await handshakeOn(version)).toEqual({
        channel: '/meta/handshake',
        id: '1',
        version: '1.0',
        successful: false,
        error: `400::API version ${version} is not supported`,
        supportedConnectionTypes: ['long-polling'],
        advice: { reconnect: 'none', interval: 0 },
      });
    }
  });
});

describe('a faye client (as jsforce builds its streaming on)', () => {
  it('does not handshake again after a handshake refused for its API version', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const faye = require('faye') as {
      Client: new (
        url: string,
        options: { retry: number },
      ) => {
        handshake(): void;
        disconnect(): void;
        setHeader(name: string, value: string): void;
      };
    };
    const client = new faye.Client(`${sandbox.url}/cometd/29.0`, { retry: 0.05 });
    client.setHeader('Authorization', `OAuth ${rest.token}`);
    let handshakeCalls = 0;
    const handshake = client.handshake.bind(client);
    // faye schedules its retry by calling handshake() again; count those calls, the sandbox counts the requests.
    client.handshake = () => {
      handshakeCalls++;
      handshake();
    };
    const requestsBefore = await cometdRequests();
    client.handshake();
    await eventually(() => handshakeCalls >= 2, 'faye to retry the handshake', 5_000, 20);
    expect((await cometdRequests()) - requestsBefore).toBe(1);
    client.disconnect();
  });
});
