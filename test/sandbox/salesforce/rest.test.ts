/** The sandbox's OAuth and REST API, driven through jsforce exactly as the sync engine uses it. */
import jsforce, { type Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../sandbox/salesforce';
import { CLIENT_ID, CLIENT_SECRET, PASSWORD, USERNAME, VERSION, connect, control, startSandbox } from './helpers';

type Row = Record<string, unknown>;

let sandbox: SalesforceSandbox;
let conn: Connection;

beforeAll(async () => {
  sandbox = await startSandbox();
  conn = await connect(sandbox.url);
});
afterAll(async () => {
  await sandbox.close();
});
afterEach(async () => {
  await control(sandbox.url, '/sandbox/faults', 'DELETE');
});

async function rawRequest(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${sandbox.url}/services/data/v${VERSION}${path}`, {
    method,
    headers: { authorization: `Bearer ${conn.accessToken}`, 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, headers: res.headers, body: (await res.json().catch(() => undefined)) as unknown };
}

describe('OAuth', () => {
  it('issues a token with the fields jsforce needs, for client credentials', async () => {
    const res = await fetch(`${sandbox.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      }),
    });
    expect(res.status).toBe(200);
    const token = (await res.json()) as Record<string, string>;
    expect(token).toEqual({
      access_token: expect.stringMatching(/^00D\w{12}!/),
      instance_url: sandbox.url,
      id: expect.stringMatching(new RegExp(`^${sandbox.url}/id/00D\\w{15}/005\\w{15}$`)),
      token_type: 'Bearer',
      issued_at: expect.stringMatching(/^\d{13}$/),
      signature: expect.any(String),
      scope: 'api',
    });
  });

  it('logs in with the password grant and knows the user and org', async () => {
    const c = new jsforce.Connection({
      oauth2: { loginUrl: sandbox.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      version: VERSION,
    });
    const info = await c.login(USERNAME, PASSWORD);
    expect(info.id).toMatch(/^005\w{15}$/);
    expect(info.organizationId).toMatch(/^00D\w{15}$/);
    expect(c.instanceUrl).toBe(sandbox.url);
  });

  it('answers bad credentials with the OAuth error body', async () => {
    const c = new jsforce.Connection({
      oauth2: { loginUrl: sandbox.url, clientId: CLIENT_ID, clientSecret: 'wrong' },
      version: VERSION,
    });
    await expect(c.authorize({ grant_type: 'client_credentials' })).rejects.toMatchObject({ name: 'invalid_client' });
    const d = new jsforce.Connection({
      oauth2: { loginUrl: sandbox.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      version: VERSION,
    });
    await expect(d.login(USERNAME, 'nope')).rejects.toMatchObject({ name: 'invalid_grant' });
  });

  it('rejects calls without a valid session with 401 INVALID_SESSION_ID', async () => {
    const res = await fetch(`${sandbox.url}/services/data/v${VERSION}/sobjects/Project__c/describe`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });

  it('refreshes after the sandbox expires every session (re-login and client-credentials refreshFn)', async () => {
    const viaLogin = new jsforce.Connection({
      oauth2: { loginUrl: sandbox.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      version: VERSION,
    });
    await viaLogin.login(USERNAME, PASSWORD);
    const before = [conn.accessToken, viaLogin.accessToken];
    const refreshed: string[] = [];
    conn.on('refresh', (token: string) => refreshed.push(token));
    const res = await control(sandbox.url, '/sandbox/faults', 'POST', { expireSessions: true });
    expect(await res.json()).toMatchObject({ expiredSessions: expect.any(Number) });
    await expect(conn.query('SELECT Id FROM Project__c')).resolves.toMatchObject({ done: true });
    await expect(viaLogin.query('SELECT Id FROM Project__c')).resolves.toMatchObject({ done: true });
    expect(refreshed).toHaveLength(1);
    expect([conn.accessToken, viaLogin.accessToken]).not.toEqual(before);
  });
});

describe('sObject CRUD', () => {
  it('creates, reads, updates and deletes a project', async () => {
    const created = await conn
      .sobject('Project__c')
      .create({ Name: 'Harbor Tower', Project_Type__c: 'Commercial', Estimated_Value__c: 1250000.456 });
    expect(created).toEqual({ id: expect.stringMatching(/^a0X\w{15}$/), success: true, errors: [] });
    const id = created.id!;

    const record = (await conn.sobject('Project__c').retrieve(id)) as Row;
    expect(record).toMatchObject({
      attributes: { type: 'Project__c', url: `/services/data/v${VERSION}/sobjects/Project__c/${id}` },
      Id: id,
      Name: 'Harbor Tower',
      Estimated_Value__c: 1250000.46,
      Active__c: true,
      Stage__c: null,
      IsDeleted: false,
      CreatedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/),
    });

    const some = (await conn.sobject('Project__c').retrieve(id, { fields: ['Name', 'City__c'] })) as Row;
    expect(Object.keys(some)).toEqual(['attributes', 'Id', 'Name', 'City__c']);

    await expect(
      conn.sobject('Project__c').update({ Id: id, City__c: 'Boston', Estimated_Value__c: null }),
    ).resolves.toMatchObject({ success: true });
    expect(await conn.sobject('Project__c').retrieve(id)).toMatchObject({
      City__c: 'Boston',
      Estimated_Value__c: null,
    });

    await conn.sobject('Project__c').destroy(id);
    await expect(conn.sobject('Project__c').retrieve(id)).rejects.toMatchObject({ errorCode: 'ENTITY_IS_DELETED' });
    await expect(conn.sobject('Project__c').update({ Id: id, Name: 'x' })).rejects.toMatchObject({
      errorCode: 'ENTITY_IS_DELETED',
    });
    await expect(conn.sobject('Project__c').retrieve('a0X8d00000009ZZZZZ')).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
    });
  });

  it('upserts by Procore_ID__c: 201 created, then 200 updated', async () => {
    const first = await rawRequest(
      'PATCH',
      '/sobjects/Project__c/Procore_ID__c/777001',
      JSON.stringify({ Name: 'Upserted' }),
    );
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: expect.stringMatching(/^a0X/), success: true, errors: [], created: true });
    const second = await conn.upsert(
      'Project__c',
      { Procore_ID__c: '777001', Name: 'Upserted again' },
      'Procore_ID__c',
    );
    expect(second).toEqual({ id: (first.body as Row).id, success: true, errors: [], created: false });
    expect(await conn.sobject('Project__c').retrieve(String((first.body as Row).id))).toMatchObject({
      Name: 'Upserted again',
      Procore_ID__c: '777001',
    });
  });

  it('enforces the unique external id, required fields, picklists and lengths', async () => {
    await conn.sobject('Project__c').create({ Name: 'Unique', Procore_ID__c: '880001' });
    await expect(conn.sobject('Project__c').create({ Name: 'Dup', Procore_ID__c: '880001' })).rejects.toMatchObject({
      errorCode: 'DUPLICATE_VALUE',
      message: expect.stringMatching(
        /^duplicate value found: Procore_ID__c duplicates value on record with id: a0X\w{15}$/,
      ),
    });
    await expect(conn.sobject('Project__c').create({ City__c: 'Nameless' })).rejects.toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [Name]',
      data: { fields: ['Name'] },
    });
    await expect(conn.sobject('Project__c').create({ Name: 'P', Project_Type__c: 'Spaceport' })).rejects.toMatchObject({
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: 'Project Type: bad value for restricted picklist field: Spaceport',
    });
    await expect(conn.sobject('Project__c').create({ Name: 'x'.repeat(81) })).rejects.toMatchObject({
      errorCode: 'STRING_TOO_LONG',
    });
  });

  it('describes Project__c from the schema file', async () => {
    const describe = await conn.sobject('Project__c').describe();
    expect(describe).toMatchObject({
      name: 'Project__c',
      keyPrefix: 'a0X',
      custom: true,
      createable: true,
      queryable: true,
    });
    const byName = new Map(describe.fields.map((f) => [f.name, f]));
    expect([...byName.keys()]).toEqual(
      expect.arrayContaining(['Id', 'Name', 'Stage__c', 'Procore_ID__c', 'SystemModstamp']),
    );
    expect(byName.get('Procore_ID__c')).toMatchObject({
      type: 'string',
      length: 18,
      externalId: true,
      unique: true,
      idLookup: true,
    });
    expect(byName.get('Project_Type__c')).toMatchObject({ type: 'picklist', restrictedPicklist: true });
    expect(byName.get('Project_Type__c')?.picklistValues?.map((p) => p.value)).toContain('Mixed Use');
    expect(byName.get('Estimated_Value__c')).toMatchObject({ type: 'currency', precision: 16, scale: 2 });
    expect(byName.get('Description__c')).toMatchObject({ type: 'textarea', length: 32000 });
    expect(byName.get('Active__c')).toMatchObject({ type: 'boolean', defaultValue: true });
    expect(byName.get('LastModifiedDate')).toMatchObject({ type: 'datetime', createable: false, updateable: false });
  });
});

describe('SOQL', () => {
  beforeAll(async () => {
    const rows = Array.from({ length: 450 }, (_, i) => ({
      Name: `Bulk ${String(i).padStart(3, '0')}`,
      Stage__c: i % 2 === 0 ? 'Pre-Construction' : 'Completed',
      Start_Date__c: `2024-01-${String((i % 28) + 1).padStart(2, '0')}`,
    }));
    for (let i = 0; i < rows.length; i += 50)
      await Promise.all(rows.slice(i, i + 50).map((r) => conn.sobject('Project__c').create(r)));
  });

  it('pages through nextRecordsUrl and autoFetch', async () => {
    const soql = "SELECT Id, Name FROM Project__c WHERE Name LIKE 'Bulk%' ORDER BY Name";
    const headers = { 'Sforce-Query-Options': 'batchSize=200' };
    const raw = await rawRequest('GET', `/query?q=${encodeURIComponent(soql)}`, undefined, headers);
    expect(raw.body).toMatchObject({
      totalSize: 450,
      done: false,
      nextRecordsUrl: expect.stringMatching(new RegExp(`^/services/data/v${VERSION}/query/01g\\w{15}-200$`)),
    });
    const first = await conn.query<Row>(soql, { headers });
    expect(first).toMatchObject({
      totalSize: 450,
      done: false,
      nextRecordsUrl: expect.stringMatching(/\/query\/01g\w{15}-200$/),
    });
    expect(first.records).toHaveLength(200);
    const second = await conn.queryMore<Row>(first.nextRecordsUrl!, {
      headers,
      autoFetch: false,
      maxFetch: 10_000,
      scanAll: false,
      responseTarget: 'QueryResult',
    });
    expect(second.records[0]?.Name).toBe('Bulk 200');

    const all = await conn.query<Row>(soql, { autoFetch: true, maxFetch: 1000, headers });
    expect(all.records).toHaveLength(450);
    expect(all.records.map((r) => r.Name)).toEqual([...all.records.map((r) => r.Name)].sort());
  });

  it('filters with =, IN, date ranges, AND/OR and LIMIT', async () => {
    const res = await conn.query<Row>(
      "SELECT Name, Start_Date__c FROM Project__c WHERE Stage__c IN ('Completed') AND Start_Date__c > 2024-01-10 AND Start_Date__c < 2024-01-13 ORDER BY Name DESC LIMIT 5",
    );
    expect(res.records).toHaveLength(5);
    for (const r of res.records) expect(['2024-01-11', '2024-01-12']).toContain(r.Start_Date__c);
    const now = new Date(Date.now() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const count = await conn.query(
      `SELECT COUNT() FROM Project__c WHERE CreatedDate < ${now} AND (Name = 'bulk 001' OR Name = 'Bulk 002')`,
    );
    expect(count.totalSize).toBe(2);
  });

  it('finds records by Id IN a sweep-sized list (15- or 18-character ids) and leaves them out with NOT IN', async () => {
    const bulk = await conn.query<{ Id: string }>("SELECT Id FROM Project__c WHERE Name LIKE 'Bulk%'", {
      autoFetch: true,
      maxFetch: 1000,
    });
    const ids = bulk.records.slice(0, 200).map((r, i) => (i % 2 === 0 ? r.Id.slice(0, 15) : r.Id));
    const list = ids.map((id) => `'${id}'`).join(',');
    const found = await conn.query<{ Id: string }>(`SELECT Id FROM Project__c WHERE Id IN (${list})`);
    expect(found.records.map((r) => r.Id).sort()).toEqual(
      bulk.records
        .slice(0, 200)
        .map((r) => r.Id)
        .sort(),
    );
    const rest = await conn.query(`SELECT COUNT() FROM Project__c WHERE Name LIKE 'Bulk%' AND Id NOT IN (${list})`);
    expect(rest.totalSize).toBe(bulk.totalSize - 200);
  });

  it('answers bad SOQL with MALFORMED_QUERY, INVALID_FIELD and INVALID_TYPE', async () => {
    await expect(conn.query('SELECT Id FORM Project__c')).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: '\nSELECT Id FORM Project__c\n          ^\nERROR at Row:1:Column:11\nunexpected token: FORM',
    });
    await expect(conn.query('SELECT Id, Nope__c FROM Project__c')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("No such column 'Nope__c' on entity 'Project__c'"),
    });
    await expect(conn.query('SELECT Id FROM Account')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
    await expect(conn.query("SELECT Id FROM Project__c WHERE Start_Date__c > '2024-01-01'")).rejects.toMatchObject({
      errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
    });
  });
});

describe('bad requests', () => {
  it('answers malformed JSON, unknown fields, wrong types and oversized bodies in Salesforce error shape', async () => {
    const malformed = await rawRequest('POST', '/sobjects/Project__c', '{"Name": "x",');
    expect(malformed).toMatchObject({
      status: 400,
      body: [{ errorCode: 'JSON_PARSER_ERROR', message: expect.stringMatching(/at \[line:1, column:\d+\]$/) }],
    });

    const unknown = await rawRequest('POST', '/sobjects/Project__c', JSON.stringify({ Name: 'x', Colour__c: 'red' }));
    expect(unknown).toMatchObject({
      status: 400,
      body: [{ errorCode: 'INVALID_FIELD', message: "No such column 'Colour__c' on sobject of type Project__c" }],
    });

    const wrongDate = await rawRequest(
      'POST',
      '/sobjects/Project__c',
      JSON.stringify({ Name: 'x', Start_Date__c: 'soon' }),
    );
    expect(wrongDate.body).toEqual([
      {
        errorCode: 'JSON_PARSER_ERROR',
        message:
          'Cannot deserialize instance of date from VALUE_STRING value soon or request may be missing a required field',
      },
    ]);
    const wrongBool = await rawRequest(
      'POST',
      '/sobjects/Project__c',
      JSON.stringify({ Name: 'x', Active__c: { yes: 1 } }),
    );
    expect(wrongBool).toMatchObject({ status: 400, body: [{ errorCode: 'JSON_PARSER_ERROR' }] });
    const readOnly = await rawRequest(
      'POST',
      '/sobjects/Project__c',
      JSON.stringify({ Name: 'x', CreatedDate: '2020-01-01T00:00:00Z' }),
    );
    expect(readOnly).toMatchObject({
      status: 400,
      body: [{ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['CreatedDate'] }],
    });

    const oversized = await rawRequest(
      'POST',
      '/sobjects/Project__c',
      JSON.stringify({ Name: 'x', Description__c: 'y'.repeat(1_100_000) }),
    );
    expect(oversized).toMatchObject({ status: 413, body: [{ errorCode: 'REQUEST_ENTITY_TOO_LARGE' }] });

    const notFound = await rawRequest('GET', '/sobjects/Account/describe');
    expect(notFound).toMatchObject({ status: 404, body: [{ errorCode: 'NOT_FOUND' }] });
    // Nothing above was stored, and the sandbox still answers.
    const count = await conn.query("SELECT COUNT() FROM Project__c WHERE Name = 'x'");
    expect(count.totalSize).toBe(0);
  });

  it('sends Sforce-Limit-Info and counts API calls by route in /sandbox/stats', async () => {
    const res = await rawRequest('GET', '/sobjects/Project__c/describe');
    expect(res.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/15000$/);
    await conn.query('SELECT Id FROM Project__c LIMIT 1');
    expect(conn.limitInfo.apiUsage?.used).toBeGreaterThan(0);
    const stats = (await (await control(sandbox.url, '/sandbox/stats', 'GET')).json()) as {
      api: Record<string, number>;
      total: number;
    };
    expect(stats.api['GET /services/data/:version/query']).toBeGreaterThanOrEqual(1);
    expect(stats.api['POST /services/oauth2/token']).toBeGreaterThanOrEqual(1);
    expect(Object.keys(stats.api).some((k) => k.includes('/sandbox/'))).toBe(false);
    expect(stats.total).toBe(Object.values(stats.api).reduce((a, b) => a + b, 0));
  });
});

describe('faults', () => {
  it('answers REQUEST_LIMIT_EXCEEDED, 5xx and added latency while switched on', async () => {
    await control(sandbox.url, '/sandbox/faults', 'POST', { requestLimitExceeded: true });
    await expect(conn.query('SELECT Id FROM Project__c')).rejects.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
    });

    await control(sandbox.url, '/sandbox/faults', 'POST', { requestLimitExceeded: false, errorRate: 1 });
    const failed = await rawRequest('GET', '/sobjects/Project__c/describe');
    expect([500, 503]).toContain(failed.status);
    expect((failed.body as Row[])[0]?.errorCode).toMatch(/^(SERVER_UNAVAILABLE|UNKNOWN_EXCEPTION)$/);

    await control(sandbox.url, '/sandbox/faults', 'POST', { errorRate: 0, latencyMs: 300 });
    const started = Date.now();
    await conn.query('SELECT Id FROM Project__c LIMIT 1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);

    const cleared = await control(sandbox.url, '/sandbox/faults', 'DELETE');
    expect(await cleared.json()).toEqual({
      latencyMs: 0,
      errorRate: 0,
      requestLimitExceeded: false,
      loseWriteAnswers: 0,
    });
    const bad = await control(sandbox.url, '/sandbox/faults', 'POST', { errorRate: 2 });
    expect(bad.status).toBe(400);
  });

  it('loses the answers of the next writes after carrying them out, and no read answer', async () => {
    await control(sandbox.url, '/sandbox/faults', 'POST', { loseWriteAnswers: 1 });
    await conn.query('SELECT Id FROM Project__c LIMIT 1');
    const upsert = conn
      .sobject('Project__c')
      .upsert({ Name: 'Lost Answer Annex', Procore_ID__c: '77001' }, 'Procore_ID__c');
    await expect(upsert).rejects.toThrow();
    const found = await conn.query<Row>("SELECT Id, Name FROM Project__c WHERE Procore_ID__c = '77001'");
    expect(found.records).toEqual([expect.objectContaining({ Name: 'Lost Answer Annex' })]);
    const again = await conn
      .sobject('Project__c')
      .upsert({ Name: 'Lost Answer Annex', Procore_ID__c: '77001' }, 'Procore_ID__c');
    expect(again).toMatchObject({ success: true, created: false, id: found.records[0]?.Id });
  });
});
