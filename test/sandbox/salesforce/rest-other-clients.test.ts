/**
 * The REST half of the sandbox seen through plain HTTP (Node's fetch), not jsforce: OAuth with HTTP Basic client
 * authentication, API versions, `/limits` and conditional requests on sObject rows. Replication is in its own file.
 */
import type { SalesforceSandbox } from '../../../sandbox/salesforce';
import { CLIENT_ID, CLIENT_SECRET, PASSWORD, USERNAME, control, startSandbox } from './helpers';
import { RestClient, basicAuth, basicToken, tokenRequest, type TokenResponse } from './http-clients';

let sandbox: SalesforceSandbox;
let rest: RestClient;

beforeAll(async () => {
  sandbox = await startSandbox();
  rest = new RestClient(sandbox.url, await basicToken(sandbox.url));
});
afterAll(async () => {
  await sandbox.close();
});

interface ErrorBody {
  errorCode: string;
  message: string;
}

async function errorOf(res: Response): Promise<ErrorBody> {
  const body = (await res.json()) as ErrorBody[];
  expect(body).toHaveLength(1);
  return body[0]!;
}

describe('OAuth client authentication', () => {
  it('accepts the client credentials in an HTTP Basic header, for client_credentials and password grants', async () => {
    const basic = basicAuth(CLIENT_ID, CLIENT_SECRET);
    const grant = await tokenRequest(sandbox.url, { grant_type: 'client_credentials' }, basic);
    expect(grant.status).toBe(200);
    const token = (await grant.json()) as TokenResponse;
    expect(token).toMatchObject({ access_token: expect.any(String), instance_url: sandbox.url, token_type: 'Bearer' });
    const client = new RestClient(sandbox.url, token.access_token);
    expect((await client.request('GET', '/query?q=SELECT+Id+FROM+Project__c')).status).toBe(200);

    const login = { grant_type: 'password', username: USERNAME, password: PASSWORD };
    const password = await tokenRequest(sandbox.url, login, basic);
    expect(password.status).toBe(200);
    const sameInBoth = await tokenRequest(
      sandbox.url,
      { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
      basic,
    );
    expect(sameInBoth.status).toBe(200);
  });

  it('refuses a wrong secret, a malformed header and credentials that differ between header and body', async () => {
    const wrong = await tokenRequest(sandbox.url, { grant_type: 'client_credentials' }, basicAuth(CLIENT_ID, 'nope'));
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });

    const grant = { grant_type: 'client_credentials' };
    const unknown = await tokenRequest(sandbox.url, grant, basicAuth('other', CLIENT_SECRET));
    expect(await unknown.json()).toMatchObject({ error: 'invalid_client_id' });

    const malformed = await tokenRequest(sandbox.url, { grant_type: 'client_credentials' }, 'Basic bm8tY29sb24=');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: 'invalid_client' });

    const conflicting = await tokenRequest(
      sandbox.url,
      { grant_type: 'client_credentials', client_id: 'someone-else', client_secret: 'x' },
      basicAuth(CLIENT_ID, CLIENT_SECRET),
    );
    expect(conflicting.status).toBe(400);
    expect(await conflicting.json()).toMatchObject({ error: 'invalid_request' });

    const formOnly = await tokenRequest(sandbox.url, {
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(formOnly.status).toBe(200);
  });
});

describe('API versions', () => {
  it('serves every version from 31.0 to 64.0, answers 410 for retired ones and 404 for unknown ones', async () => {
    const listing = await fetch(`${sandbox.url}/services/data`);
    const listed = (await listing.json()) as Array<{ version: string; url: string }>;
    expect(listed[0]).toEqual({ label: 'API 31.0', url: '/services/data/v31.0', version: '31.0' });
    expect(listed.map((v) => v.version)).toHaveLength(64 - 31 + 1);
    expect(listed[listed.length - 1]!.version).toBe('64.0');

    for (const version of ['31.0', '45.0', '50.0', '64.0']) {
      expect((await rest.request('GET', `/services/data/v${version}/sobjects/Project__c/describe`)).status).toBe(200);
    }
    for (const version of ['30.0', '21.0', '20.0']) {
      const res = await rest.request('GET', `/services/data/v${version}/sobjects/Project__c/describe`);
      expect(res.status).toBe(410);
      expect(await errorOf(res)).toMatchObject({ errorCode: 'GONE' });
    }
    for (const version of ['65.0', '6.0', '60', 'latest']) {
      const res = await rest.request('GET', `/services/data/v${version}/sobjects/Project__c/describe`);
      expect(res.status).toBe(404);
      expect(await errorOf(res)).toMatchObject({ errorCode: 'NOT_FOUND' });
    }
  });

  it('writes through an old version with that version in changeOrigin', async () => {
    const old = new RestClient(sandbox.url, rest.token, '31.0');
    const id = await old.create({ Name: 'Written at 31.0' });
    const events = (await (await control(sandbox.url, '/sandbox/events', 'GET')).json()) as Array<{
      payload: { ChangeEventHeader: { recordIds: string[]; changeOrigin: string } };
    }>;
    const created = events.find((e) => e.payload.ChangeEventHeader.recordIds.includes(id));
    expect(created?.payload.ChangeEventHeader.changeOrigin).toBe('com/salesforce/api/rest/31.0');
  });
});

describe('GET /limits', () => {
  it('reports DailyApiRequests consistently with Sforce-Limit-Info, counting itself', async () => {
    const first = await rest.request('GET', '/limits');
    expect(first.status).toBe(200);
    const header = /api-usage=(\d+)\/(\d+)/.exec(first.headers.get('sforce-limit-info') ?? '');
    expect(header).not.toBeNull();
    const [used, max] = [Number(header![1]), Number(header![2])];
    const limits = (await first.json()) as Record<string, { Max: number; Remaining: number }>;
    expect(limits.DailyApiRequests).toEqual({ Max: max, Remaining: max - used });
    for (const name of ['DailyBulkApiBatches', 'DailyDurableStreamingApiEvents', 'DataStorageMB', 'SingleEmail']) {
      expect(limits[name]).toEqual({ Max: expect.any(Number), Remaining: expect.any(Number) });
    }
    expect(limits.DurableStreamingApiConcurrentClients).toMatchObject({ Max: 20 });
    expect(Object.keys(limits)).toEqual([...Object.keys(limits)].sort());

    await rest.request('GET', '/sobjects/Project__c/describe');
    const second = (await rest.json<typeof limits>('GET', '/limits')).DailyApiRequests;
    expect(second).toEqual({ Max: max, Remaining: max - used - 2 });
  });

  it('needs a session', async () => {
    const res = await fetch(`${sandbox.url}/services/data/v60.0/limits`);
    expect(res.status).toBe(401);
  });
});

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');
const clock = (d: Date) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;

/** The obsolete RFC 850 form of an HTTP-date: `Sunday, 06-Nov-94 08:49:37 GMT`. */
function rfc850Date(ms: number): string {
  const d = new Date(ms);
  const date = `${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${pad(d.getUTCFullYear() % 100)}`;
  return `${DAYS[d.getUTCDay()]}, ${date} ${clock(d)} GMT`;
}

/** C's asctime() form of an HTTP-date: `Sun Nov  6 08:49:37 1994`. */
function asctimeDate(ms: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${DAYS[d.getUTCDay()]!.slice(0, 3)} ${MONTHS[d.getUTCMonth()]} ${day} ${clock(d)} ${d.getUTCFullYear()}`;
}

describe('conditional requests on sObject rows', () => {
  interface Row {
    Id: string;
    Name: string;
    City__c: string | null;
    LastModifiedDate: string;
  }

  const httpDate = (ms: number) => new Date(ms).toUTCString();
  const read = (id: string) => rest.json<Row>('GET', `/sobjects/Project__c/${id}`);
  const patch = (id: string, body: unknown, headers: Record<string, string>) =>
    rest.request('PATCH', `/sobjects/Project__c/${id}`, body, headers);
  const eventsFor = async (id: string) => {
    const events = (await (await control(sandbox.url, '/sandbox/events', 'GET')).json()) as Array<{
      payload: { ChangeEventHeader: { recordIds: string[] } };
    }>;
    return events.filter((e) => e.payload.ChangeEventHeader.recordIds.includes(id)).length;
  };

  async function freshRow(): Promise<Row> {
    const id = await rest.create({ Name: 'Conditional', City__c: 'Oakland' });
    return read(id);
  }

  it('PATCH with If-Unmodified-Since: 412 and no change when modified after it, applied when not', async () => {
    const row = await freshRow();
    const modified = Date.parse(row.LastModifiedDate);
    expect(row.LastModifiedDate).toMatch(/\.000\+0000$/);
    const eventsBefore = await eventsFor(row.Id);

    const stale = await patch(row.Id, { City__c: 'Alameda' }, { 'If-Unmodified-Since': httpDate(modified - 1000) });
    expect(stale.status).toBe(412);
    expect(await errorOf(stale)).toMatchObject({ errorCode: 'PRECONDITION_FAILED' });
    expect(await read(row.Id)).toEqual(row);
    expect(await eventsFor(row.Id)).toBe(eventsBefore);

    // The same second as LastModifiedDate is not "after" it: one-second precision.
    const current = await patch(row.Id, { City__c: 'Alameda' }, { 'If-Unmodified-Since': httpDate(modified) });
    expect(current.status).toBe(204);
    expect((await read(row.Id)).City__c).toBe('Alameda');
    expect(await eventsFor(row.Id)).toBe(eventsBefore + 1);
  });

  it('takes the obsolete HTTP-date forms and answers 400 with nothing changed for an invalid value', async () => {
    const row = await freshRow();
    const later = Date.parse(row.LastModifiedDate) + 60_000;
    const rfc850 = await patch(row.Id, { City__c: 'Fremont' }, { 'If-Unmodified-Since': rfc850Date(later) });
    expect(rfc850.status).toBe(204);
    const asctime = await patch(row.Id, { City__c: 'Fremont' }, { 'If-Unmodified-Since': asctimeDate(later) });
    expect(asctime.status).toBe(204);

    const invalidDates = ['yesterday', row.LastModifiedDate, '2026-11-30T10:00:00Z', 'Tue, 31 Feb 2026 10:00:00 GMT'];
    for (const invalid of invalidDates) {
      const res = await patch(row.Id, { City__c: 'Berkeley' }, { 'If-Unmodified-Since': invalid });
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatchObject({ errorCode: 'INVALID_HEADER_VALUE' });
    }
    expect((await read(row.Id)).City__c).toBe('Fremont');
  });

  it('GET with If-Modified-Since: 304 and no body when not modified after it, the record when it was', async () => {
    const row = await freshRow();
    const modified = Date.parse(row.LastModifiedDate);
    const notModified = await rest.request('GET', `/sobjects/Project__c/${row.Id}`, undefined, {
      'If-Modified-Since': httpDate(modified),
    });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');

    const changed = await rest.request('GET', `/sobjects/Project__c/${row.Id}`, undefined, {
      'If-Modified-Since': httpDate(modified - 1000),
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual(row);

    // On a GET an invalid date is ignored, as HTTP says.
    const ignored = await rest.request('GET', `/sobjects/Project__c/${row.Id}`, undefined, {
      'If-Modified-Since': 'soon',
    });
    expect(ignored.status).toBe(200);

    const unmodified = await rest.request('GET', `/sobjects/Project__c/${row.Id}`, undefined, {
      'If-Unmodified-Since': httpDate(modified - 1000),
    });
    expect(unmodified.status).toBe(412);
  });

  it('ignores the headers on DELETE, and ETag headers on Project__c (ETags are for Account only)', async () => {
    const row = await freshRow();
    const modified = Date.parse(row.LastModifiedDate);
    const got = await rest.request('GET', `/sobjects/Project__c/${row.Id}`);
    expect(got.headers.get('etag')).toBeNull();

    const etag = await patch(row.Id, { City__c: 'San Jose' }, { 'If-Match': '"not-this-record"' });
    expect(etag.status).toBe(204);
    const noneMatch = await patch(row.Id, { City__c: 'Santa Clara' }, { 'If-None-Match': '*' });
    expect(noneMatch.status).toBe(204);
    expect((await read(row.Id)).City__c).toBe('Santa Clara');

    const removed = await rest.request('DELETE', `/sobjects/Project__c/${row.Id}`, undefined, {
      'If-Unmodified-Since': httpDate(modified - 3_600_000),
    });
    expect(removed.status).toBe(204);
    const gone = await rest.request('GET', `/sobjects/Project__c/${row.Id}`);
    expect(await errorOf(gone)).toMatchObject({ errorCode: 'ENTITY_IS_DELETED' });
  });
});
