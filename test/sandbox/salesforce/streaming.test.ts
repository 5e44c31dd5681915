/** Change Data Capture over CometD, through jsforce's streaming client (faye) with the Replay and AuthFailure extensions. */
import { eventually } from '../../support/eventually';
import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../sandbox/salesforce';
import { CHANNEL, Subscriber, connect, control, disconnect, startSandbox, type ChangeEvent } from './helpers';

let sandbox: SalesforceSandbox;
let conn: Connection;
const subscribers: Subscriber[] = [];
let integrationUser: string;

function subscribe(replayFrom: number, channel = CHANNEL, c = conn): Subscriber {
  const subscriber = new Subscriber(c, replayFrom, channel);
  subscribers.push(subscriber);
  return subscriber;
}

async function uiRequest(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await control(sandbox.url, `/sandbox/ui/Project__c${path}`, method, body);
  expect(res.ok).toBe(true);
  return (await res.json()) as Record<string, unknown>;
}

function eventFor(subscriber: Subscriber, id: string, changeType: string): ChangeEvent | undefined {
  return subscriber.events.find((e) => {
    const header = e.payload.ChangeEventHeader;
    return header.changeType === changeType && (header.recordIds as string[]).includes(id);
  });
}

function waitForEvent(subscriber: Subscriber, id: string, changeType: string): Promise<ChangeEvent> {
  return eventually(() => eventFor(subscriber, id, changeType), `${changeType} event for ${id}`, 5000, 20);
}

const DATETIME_Z = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/;

beforeAll(async () => {
  sandbox = await startSandbox();
  conn = await connect(sandbox.url);
  integrationUser = conn.userInfo!.id;
});
afterAll(async () => {
  await Promise.all(subscribers.map((s) => s.stop()));
  await sandbox.close();
});

describe('change events', () => {
  it('publishes CREATE, UPDATE, DELETE and UNDELETE with the exact envelope, header and body fields', async () => {
    const sub = subscribe(-1);
    const all = subscribe(-1, '/data/ChangeEvents');
    await Promise.all([sub.subscription, all.subscription]);

    const { id } = await conn.sobject('Project__c').create({
      Name: 'Pier 9',
      Project_Type__c: 'Infrastructure',
      Start_Date__c: '2025-03-01',
      Estimated_Value__c: 2500000,
      City__c: 'Oakland',
    });
    const created = await waitForEvent(sub, id!, 'CREATE');
    expect(Object.keys(created).sort()).toEqual(['event', 'payload', 'schema']);
    expect(created.schema).toMatch(/^[\w-]{22}$/);
    expect(created.event).toEqual({ replayId: expect.any(Number) });
    const header = created.payload.ChangeEventHeader;
    expect(header).toEqual({
      entityName: 'Project__c',
      recordIds: [id],
      changeType: 'CREATE',
      changeOrigin: 'com/salesforce/api/rest/60.0;client=tandem',
      transactionKey: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      sequenceNumber: 1,
      commitTimestamp: expect.any(Number),
      commitNumber: expect.any(Number),
      commitUser: integrationUser,
      changedFields: [],
    });
    const { ChangeEventHeader: _h, ...body } = created.payload;
    expect(body).toEqual({
      OwnerId: integrationUser,
      Name: 'Pier 9',
      CreatedDate: expect.stringMatching(DATETIME_Z),
      CreatedById: integrationUser,
      LastModifiedDate: expect.stringMatching(DATETIME_Z),
      LastModifiedById: integrationUser,
      Project_Type__c: 'Infrastructure',
      City__c: 'Oakland',
      Start_Date__c: '2025-03-01',
      Estimated_Value__c: 2500000,
      Active__c: true,
    });
    expect(header.commitTimestamp).toBe(Date.parse(String(body.LastModifiedDate)));

    await conn.sobject('Project__c').update({ Id: id!, City__c: 'Alameda', Estimated_Value__c: null, Name: 'Pier 9' });
    const updated = await waitForEvent(sub, id!, 'UPDATE');
    expect(updated.payload).toEqual({
      ChangeEventHeader: expect.objectContaining({
        changeType: 'UPDATE',
        changedFields: ['LastModifiedDate', 'City__c', 'Estimated_Value__c'],
      }),
      LastModifiedDate: expect.stringMatching(DATETIME_Z),
      City__c: 'Alameda',
      Estimated_Value__c: null,
    });

    await conn.sobject('Project__c').destroy(id!);
    const deleted = await waitForEvent(sub, id!, 'DELETE');
    expect(deleted.payload).toEqual({
      ChangeEventHeader: expect.objectContaining({ changeType: 'DELETE', changedFields: [], recordIds: [id] }),
    });

    const restored = await uiRequest('POST', `/${id}/undelete`);
    expect(restored).toMatchObject({ Id: id, IsDeleted: false });
    const undeleted = await waitForEvent(sub, id!, 'UNDELETE');
    expect(undeleted.payload).toMatchObject({
      Name: 'Pier 9',
      City__c: 'Alameda',
      ChangeEventHeader: { changeType: 'UNDELETE', changedFields: [] },
    });
    expect(undeleted.payload).not.toHaveProperty('Estimated_Value__c');

    const replayIds = sub.events.map((e) => e.event.replayId);
    expect(replayIds).toEqual([...replayIds].sort((a, b) => a - b));
    await eventually(() => all.events.length >= sub.events.length, 'the all-entities channel', 5000, 20);
    expect(all.events.map((e) => e.event.replayId)).toEqual(replayIds);
  });

  it('marks console edits with the UI changeOrigin and a human commitUser', async () => {
    const sub = subscribe(-1);
    await sub.subscription;
    const record = await uiRequest('POST', '', { Name: 'Console Project', Stage__c: 'Pre-Construction' });
    const id = String(record.Id);
    await uiRequest('PATCH', `/${id}`, { Stage__c: 'Course of Construction' });
    const updated = await waitForEvent(sub, id, 'UPDATE');
    const header = updated.payload.ChangeEventHeader;
    expect(header.changeOrigin).toBe('com/salesforce/api/soap/64.0;client=SfdcInternalAPI/');
    expect(header.commitUser).toMatch(/^005\w{15}$/);
    expect(header.commitUser).not.toBe(integrationUser);
    expect(updated.payload).toMatchObject({ Stage__c: 'Course of Construction' });

    // An API edit after a console edit carries the change of LastModifiedById too.
    await conn.sobject('Project__c').update({ Id: id, Stage__c: 'Completed' });
    await eventually(
      () => sub.events.filter((e) => e.payload.ChangeEventHeader.changeType === 'UPDATE').length === 2,
      'second update',
      5000,
      20,
    );
    const second = sub.events[sub.events.length - 1]!;
    expect(second.payload).toMatchObject({ LastModifiedById: integrationUser, Stage__c: 'Completed' });
    expect(second.payload.ChangeEventHeader.changedFields).toEqual([
      'LastModifiedDate',
      'LastModifiedById',
      'Stage__c',
    ]);
  });

  it('publishes gap and overflow events on demand, without body fields', async () => {
    const sub = subscribe(-1);
    await sub.subscription;
    const record = await uiRequest('POST', '', { Name: 'Gap target' });
    const res = await control(sandbox.url, '/sandbox/gap', 'POST', {
      changeType: 'GAP_UPDATE',
      recordIds: [record.Id],
    });
    expect(res.status).toBe(201);
    const gap = await waitForEvent(sub, String(record.Id), 'GAP_UPDATE');
    expect(gap.payload).toEqual({
      ChangeEventHeader: expect.objectContaining({ changeType: 'GAP_UPDATE', sequenceNumber: 1, changedFields: [] }),
    });
    await control(sandbox.url, '/sandbox/gap', 'POST', { changeType: 'GAP_OVERFLOW' });
    const overflow = await eventually(
      () => sub.events.find((e) => e.payload.ChangeEventHeader.changeType === 'GAP_OVERFLOW'),
      'condition',
      5000,
      20,
    );
    expect(overflow.payload.ChangeEventHeader.recordIds).toEqual([]);
    expect((await control(sandbox.url, '/sandbox/gap', 'POST', { changeType: 'GAP_UPDATE' })).status).toBe(400);
  });
});

describe('replay', () => {
  it('replays everything retained from -2, only later events from a stored replayId, in order and before live ones', async () => {
    const retained = (await (await control(sandbox.url, '/sandbox/events', 'GET')).json()) as ChangeEvent[];
    expect(retained.length).toBeGreaterThan(3);

    const fromStart = subscribe(-2);
    await fromStart.subscription;
    await fromStart.waitForEvents(retained.length);
    expect(fromStart.events.map((e) => e.event.replayId)).toEqual(retained.map((e) => e.event.replayId));

    const stored = retained[retained.length - 3]!.event.replayId;
    const fromStored = subscribe(stored);
    await fromStored.subscription;
    const { id } = await conn.sobject('Project__c').create({ Name: 'After replay' });
    await waitForEvent(fromStored, id!, 'CREATE');
    const ids = fromStored.events.map((e) => e.event.replayId);
    expect(ids).toEqual([...retained.slice(-2).map((e) => e.event.replayId), ids[ids.length - 1]]);
  });

  it("fails the subscribe for an unknown replayId with Salesforce's 400 text", async () => {
    const sub = subscribe(987654);
    await expect(sub.subscription).rejects.toMatchObject({
      message: expect.stringContaining(
        'The replayId {987654} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.',
      ),
    });
  });

  it('works through conn.streaming.topic() as well', async () => {
    const received: ChangeEvent[] = [];
    // jsforce types topic messages as PushTopic messages; CDC ones have the change-event shape.
    await conn.streaming.topic(CHANNEL).subscribe((message) => received.push(message as unknown as ChangeEvent));
    const { id } = await conn.sobject('Project__c').create({ Name: 'Via topic' });
    await eventually(
      () => received.find((e) => (e.payload.ChangeEventHeader.recordIds as string[]).includes(id!)),
      'condition',
      5000,
      20,
    );
    await Promise.all(Object.values(conn.streaming._fayeClients).map(disconnect));
  });
});

describe('connection faults', () => {
  it('resubscribes after the sandbox drops CometD clients, without losing or repeating events', async () => {
    const sub = subscribe(-1);
    await sub.subscription;
    const first = await uiRequest('POST', '', { Name: 'Before drop' });
    await waitForEvent(sub, String(first.Id), 'CREATE');

    const res = await control(sandbox.url, '/sandbox/faults', 'POST', { dropCometd: true });
    expect(((await res.json()) as { droppedClients: number }).droppedClients).toBeGreaterThanOrEqual(1);
    const during = await uiRequest('POST', '', { Name: 'During reconnect' });
    await waitForEvent(sub, String(during.Id), 'CREATE');
    const after = await uiRequest('POST', '', { Name: 'After reconnect' });
    await waitForEvent(sub, String(after.Id), 'CREATE');
    expect(
      sub.events.filter((e) => (e.payload.ChangeEventHeader.recordIds as string[]).includes(String(during.Id))),
    ).toHaveLength(1);
  });

  it('reports an expired session through AuthFailure; a new client after the refresh replays what was missed', async () => {
    const sub = subscribe(-1);
    await sub.subscription;
    const first = await uiRequest('POST', '', { Name: 'Before expiry' });
    await waitForEvent(sub, String(first.Id), 'CREATE');

    await control(sandbox.url, '/sandbox/faults', 'POST', { expireSessions: true });
    await eventually(() => sub.authFailures > 0, 'the AuthFailure extension', 5000, 20);
    const missed = await uiRequest('POST', '', { Name: 'While logged out' });

    await conn.query('SELECT Id FROM Project__c LIMIT 1'); // jsforce refreshes the token on the 401
    const lastSeen = sub.events[sub.events.length - 1]!.event.replayId;
    const resumed = subscribe(lastSeen);
    await resumed.subscription;
    const replayed = await waitForEvent(resumed, String(missed.Id), 'CREATE');
    expect(replayed.event.replayId).toBeGreaterThan(lastSeen);
    expect(eventFor(sub, String(missed.Id), 'CREATE')).toBeUndefined();
  });

  it('answers raw Bayeux handshakes as Salesforce does (auth, version)', async () => {
    const handshake = [
      { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'], id: '1' },
    ];
    const post = async (path: string, token?: string) => {
      const res = await fetch(`${sandbox.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `OAuth ${token}` } : {}) },
        body: JSON.stringify(handshake),
      });
      return (await res.json()) as Array<Record<string, unknown>>;
    };
    const [denied] = await post('/cometd/60.0', 'expired-token');
    expect(denied).toMatchObject({
      channel: '/meta/handshake',
      id: '1',
      successful: false,
      error: '403::Handshake denied',
      advice: { reconnect: 'none' },
      ext: { sfdc: { failureReason: '401::Authentication invalid' }, replay: true, 'payload.format': true },
    });
    const [ok] = await post('/cometd/60.0', conn.accessToken!);
    expect(ok).toMatchObject({
      channel: '/meta/handshake',
      successful: true,
      version: '1.0',
      minimumVersion: '1.0',
      clientId: expect.any(String),
      supportedConnectionTypes: ['long-polling'],
      ext: { replay: true, 'payload.format': true },
      advice: { reconnect: 'retry', interval: 0, timeout: 110000 },
    });
    const [noVersion] = await post('/cometd', conn.accessToken!);
    expect(noVersion).toMatchObject({
      successful: false,
      error: "400::API version in the URI is mandatory. URI format: '/cometd/60.0'",
    });

    const connectRes = await fetch(`${sandbox.url}/cometd/60.0`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `OAuth ${conn.accessToken}` },
      body: JSON.stringify([{ channel: '/meta/connect', clientId: 'nobody', connectionType: 'long-polling', id: '2' }]),
    });
    expect(await connectRes.json()).toEqual([
      {
        id: '2',
        channel: '/meta/connect',
        successful: false,
        error: '403::Unknown client',
        advice: { interval: 0, reconnect: 'handshake' },
      },
    ]);
  });
});
