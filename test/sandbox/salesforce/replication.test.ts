/**
 * The replication API (`/sobjects/Project__c/updated/` and `/deleted/`) over plain HTTP, and through jsforce's
 * `sobject().updated()/deleted()`. The API works to the minute and never covers the running minute, so the
 * changes are made first and the tests start once the clock has left the minute they were made in.
 */
import { eventually } from '../../support/eventually';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SalesforceSandbox } from '../../../sandbox/salesforce';
import { connect, control, startSandbox } from './helpers';
import { RestClient, basicToken } from './http-clients';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let sandbox: SalesforceSandbox;
let capped: SalesforceSandbox;
let rest: RestClient;
let cappedRest: RestClient;
const ids = { edited: '', created: '', deleted: '', undeleted: '' };
let stamps: Record<string, string>;
/** The minute every change of the set-up was made in. */
let changeMinute: number;

const floorMinute = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;
const restDate = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());

/** Oldest change first, ties by id: the order the sandbox lists them in. */
function byChange(a: string, b: string): number {
  return Date.parse(stamps[a]!) - Date.parse(stamps[b]!) || (a < b ? -1 : a > b ? 1 : 0);
}

interface Updated {
  ids: string[];
  latestDateCovered: string;
}
interface Deleted {
  deletedRecords: Array<{ id: string; deletedDate: string }>;
  earliestDateAvailable: string;
  latestDateCovered: string;
}

function window(kind: 'updated' | 'deleted', start: string, end: string, client = rest): Promise<Response> {
  return client.request('GET', `/sobjects/Project__c/${kind}/?start=${start}&end=${end}`);
}

async function updated(start: string, end: string): Promise<Updated> {
  const res = await window('updated', start, end);
  expect(res.status).toBe(200);
  return (await res.json()) as Updated;
}

async function errorOf(res: Response): Promise<{ errorCode: string; message: string }> {
  const body = (await res.json()) as Array<{ errorCode: string; message: string }>;
  expect(body).toHaveLength(1);
  return body[0]!;
}

beforeAll(async () => {
  [sandbox, capped] = await Promise.all([startSandbox(), startSandbox({ replicationIdLimit: 2 })]);
  rest = new RestClient(sandbox.url, await basicToken(sandbox.url));
  cappedRest = new RestClient(capped.url, await basicToken(capped.url));

  // The set-up must fit in one minute: if this one is nearly over, it starts in the next.
  await eventually(() => Date.now() % MINUTE < 45_000, 'room left in the current minute', 20_000, 20);
  const start = Date.now();
  ids.edited = await rest.create({ Name: 'Edited' });
  ids.created = await rest.create({ Name: 'Created' });
  expect((await rest.request('PATCH', `/sobjects/Project__c/${ids.edited}`, { City__c: 'Oakland' })).status).toBe(204);
  ids.deleted = await rest.create({ Name: 'Deleted' });
  expect((await rest.request('DELETE', `/sobjects/Project__c/${ids.deleted}`)).status).toBe(204);
  ids.undeleted = await rest.create({ Name: 'Undeleted' });
  expect((await rest.request('DELETE', `/sobjects/Project__c/${ids.undeleted}`)).status).toBe(204);
  expect((await control(sandbox.url, `/sandbox/ui/Project__c/${ids.undeleted}/undelete`)).status).toBe(200);
  for (const name of ['One', 'Two', 'Three']) await cappedRest.create({ Name: name });

  const records = (await (await control(sandbox.url, '/sandbox/records', 'GET')).json()) as Array<{
    Id: string;
    SystemModstamp: string;
  }>;
  stamps = Object.fromEntries(records.map((r) => [r.Id, r.SystemModstamp]));
  changeMinute = floorMinute(start);
  const lastChange = Math.max(...records.map((r) => Date.parse(r.SystemModstamp)));
  expect(floorMinute(lastChange)).toBe(changeMinute);
  await eventually(
    () => floorMinute(Date.now()) > changeMinute,
    'the clock to leave the minute of the changes',
    65_000,
    20,
  );
}, 90_000);

afterAll(async () => {
  await Promise.all([sandbox?.close(), capped?.close()]);
});

describe('updated', () => {
  it('lists records created, edited or undeleted in the window, once each, and not deleted ones', async () => {
    const end = Date.now();
    const res = await window('updated', iso(end - 10 * MINUTE), iso(end));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Updated;
    expect(body).toEqual({
      ids: [ids.edited, ids.created, ids.undeleted].sort(byChange),
      latestDateCovered: restDate(floorMinute(end)),
    });
  });

  it('ignores seconds: the window is [start minute, end minute)', async () => {
    const sameMinuteStart = encodeURIComponent(new Date(changeMinute + 59_000).toISOString());
    const inside = await updated(sameMinuteStart, iso(Date.now()));
    expect(inside.ids).toHaveLength(3);

    // An end inside the minute of the changes is cut back to its start: nothing covered yet.
    const before = await updated(iso(changeMinute - 5 * MINUTE), iso(changeMinute + 30_000));
    expect(before).toEqual({ ids: [], latestDateCovered: restDate(changeMinute) });

    // Starting the next call at latestDateCovered picks up exactly what the previous one did not cover.
    const next = await updated(encodeURIComponent(before.latestDateCovered), iso(Date.now()));
    expect(next.ids).toHaveLength(3);
  });

  it('covers no further than the current minute when end is later', async () => {
    const callStart = Date.now();
    const body = await updated(iso(callStart - MINUTE * 5), iso(callStart + 10 * MINUTE));
    const covered = Date.parse(body.latestDateCovered);
    expect(covered).toBeGreaterThanOrEqual(floorMinute(callStart));
    expect(covered).toBeLessThanOrEqual(floorMinute(Date.now()));
    expect(body.ids).toHaveLength(3);
  });

  it('answers EXCEEDED_ID_LIMIT when more ids match than the cap', async () => {
    const res = await window('updated', iso(Date.now() - 10 * MINUTE), iso(Date.now()), cappedRest);
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ errorCode: 'EXCEEDED_ID_LIMIT' });
  });
});

describe('deleted', () => {
  it('lists deleted records with their deletion dates; undeleted ones are live again', async () => {
    const callStart = Date.now();
    const res = await window('deleted', iso(callStart - 10 * MINUTE), iso(callStart));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Deleted;
    expect(body.deletedRecords).toEqual([{ id: ids.deleted, deletedDate: stamps[ids.deleted] }]);
    expect(body.deletedRecords[0]!.deletedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/);
    expect(body.latestDateCovered).toBe(restDate(floorMinute(callStart)));
    // The delete log reaches back 15 days, to the minute.
    const earliest = Date.parse(body.earliestDateAvailable);
    expect(earliest).toBeGreaterThanOrEqual(floorMinute(callStart - 15 * DAY));
    expect(earliest).toBeLessThanOrEqual(floorMinute(Date.now() - 15 * DAY));
    expect(body.earliestDateAvailable).toMatch(/:00\.000\+0000$/);
  });

  it('answers through jsforce as well', async () => {
    const conn = await connect(sandbox.url);
    const end = new Date();
    const start = new Date(end.getTime() - 10 * MINUTE);
    const updated = await conn.sobject('Project__c').updated(start, end);
    expect([...updated.ids].sort()).toEqual([ids.edited, ids.created, ids.undeleted].sort());
    const deleted = await conn.sobject('Project__c').deleted(start, end);
    expect(deleted.deletedRecords.map((r) => r.id)).toEqual([ids.deleted]);
  });
});

describe('replication errors', () => {
  const now = () => Date.now();

  it('refuses windows shorter than a minute, starting more than 30 days ago or longer than 30 days', async () => {
    const tooShort = 'startDate must be at least one minute greater than endDate';
    const cases: Array<[string, string, string]> = [
      [iso(changeMinute + 5_000), iso(changeMinute + 50_000), tooShort],
      [iso(now()), iso(now() - 2 * MINUTE), tooShort],
      [iso(now() - 31 * DAY), iso(now()), 'startDate cannot be more than 30 days ago'],
      [iso(now() - DAY), iso(now() + 30 * DAY), 'the time span between startDate and endDate cannot exceed 30 days'],
    ];
    for (const kind of ['updated', 'deleted'] as const) {
      for (const [start, end, message] of cases) {
        const res = await window(kind, start, end);
        expect(res.status).toBe(400);
        expect(await errorOf(res)).toEqual({ errorCode: 'INVALID_REPLICATION_DATE', message });
      }
    }
    expect((await window('updated', iso(now() - 30 * DAY + MINUTE), iso(now()))).status).toBe(200);
  });

  it('needs both dates, URL-encoded ISO 8601 with an offset', async () => {
    const missing = await rest.request('GET', `/sobjects/Project__c/updated/?end=${iso(now())}`);
    expect(missing.status).toBe(400);
    expect(await errorOf(missing)).toMatchObject({ errorCode: 'MISSING_ARGUMENT' });

    const offset = encodeURIComponent('+00:00');
    const hour = new Date(now() - 60 * MINUTE).toISOString().slice(0, 19);
    expect((await window('updated', `${hour}${offset}`, iso(now()))).status).toBe(200);
    for (const bad of [`${hour}+00:00`, 'yesterday', encodeURIComponent(hour)]) {
      const res = await window('updated', bad, iso(now()));
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatchObject({ errorCode: 'INVALID_REPLICATION_DATE' });
    }
  });

  it('is NOT_FOUND for another object, 401 without a session and 410 on a retired version', async () => {
    const range = `start=${iso(now() - MINUTE * 5)}&end=${iso(now())}`;
    expect((await rest.request('GET', `/sobjects/Account/updated/?${range}`)).status).toBe(404);
    const anonymous = await fetch(`${sandbox.url}/services/data/v60.0/sobjects/Project__c/deleted/?start=x&end=y`);
    expect(anonymous.status).toBe(401);
    const v30 = new RestClient(sandbox.url, rest.token, '30.0');
    const retired = await v30.request('GET', `/sobjects/Project__c/updated/?${range}`);
    expect(retired.status).toBe(410);
  });
});

describe('the delete log', () => {
  it('survives restarts with the data file and reaches back 15 days', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sf-replication-'));
    const dataFile = path.join(dir, 'org.json');
    const at = (ago: number) => new Date(Math.floor((Date.now() - ago) / 1000) * 1000).toISOString();
    const row = (Id: string, ago: number, IsDeleted: boolean) => ({
      Id,
      Name: Id,
      IsDeleted,
      Active__c: true,
      CreatedDate: at(25 * DAY),
      LastModifiedDate: at(ago),
      SystemModstamp: at(ago),
    });
    const live = row('a0X8d0000000001EAA', 3 * 60 * MINUTE, false);
    const recent = row('a0X8d0000000002EAA', 2 * 60 * MINUTE, true);
    const old = row('a0X8d0000000003EAA', 20 * DAY, true);
    const state = { version: 1, records: { nextRecordNumber: 4, records: [live, recent, old] } };
    await writeFile(dataFile, JSON.stringify(state));

    const expectLog = async (url: string) => {
      const client = new RestClient(url, await basicToken(url));
      const end = Date.now();
      const deletedRange = `start=${iso(end - 25 * DAY)}&end=${iso(end)}`;
      const deleted = await client.json<Deleted>('GET', `/sobjects/Project__c/deleted/?${deletedRange}`);
      const deletedDate = recent.SystemModstamp.replace('Z', '+0000');
      expect(deleted.deletedRecords).toEqual([{ id: recent.Id, deletedDate }]);
      expect(Date.parse(deleted.earliestDateAvailable)).toBeGreaterThan(Date.parse(old.SystemModstamp));
      const updatedRange = `start=${iso(end - DAY)}&end=${iso(end)}`;
      const changed = await client.json<Updated>('GET', `/sobjects/Project__c/updated/?${updatedRange}`);
      expect(changed.ids).toEqual([live.Id]);
    };
    try {
      const first = await startSandbox({ dataFile });
      await expectLog(first.url).finally(() => first.close());
      const second = await startSandbox({ dataFile });
      await expectLog(second.url).finally(() => second.close());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
