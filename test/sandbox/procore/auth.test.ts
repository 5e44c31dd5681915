import type { ProcoreSandbox } from '../../../sandbox/procore';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  COMPANY_ID,
  apiClient,
  fetchToken,
  rawClient,
  startSandbox,
  waitFor,
} from './support';

describe('Procore sandbox: OAuth client credentials and the company header', () => {
  let sandbox: ProcoreSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

  const credentials = { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET };

  it('issues a bearer token for a JSON body', async () => {
    const response = await rawClient(sandbox).post<Record<string, unknown>>('oauth/token', { json: credentials });
    expect(response.statusCode).toBe(200);
    expect(response.body).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      token_type: 'bearer',
      expires_in: 5400,
      created_at: expect.any(Number),
    });
    expect(Math.abs((response.body.created_at as number) - Date.now() / 1000)).toBeLessThan(5);
  });

  it('accepts form-urlencoded and multipart bodies too', async () => {
    const form = await rawClient(sandbox).post<{ token_type: string }>('oauth/token', { form: credentials });
    expect(form.statusCode).toBe(200);
    expect(form.body.token_type).toBe('bearer');

    const boundary = 'tandemBoundary42';
    const multipart = Object.entries(credentials)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('');
    const response = await rawClient(sandbox).post<{ token_type: string }>('oauth/token', {
      body: `${multipart}--${boundary}--\r\n`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.body.token_type).toBe('bearer');
  });

  it('rejects wrong credentials with 401 invalid_client and other grants with 400', async () => {
    const wrong = await rawClient(sandbox).post<Record<string, string>>('oauth/token', {
      json: { ...credentials, client_secret: 'nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
    const grant = await rawClient(sandbox).post<Record<string, string>>('oauth/token', {
      json: { ...credentials, grant_type: 'password' },
    });
    expect(grant.statusCode).toBe(400);
    expect(grant.body.error).toBe('unsupported_grant_type');
    const empty = await rawClient(sandbox).post<Record<string, string>>('oauth/token', {
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body.error).toBe('invalid_request');
  });

  it('describes a token, naming the application id that webhooks report as source_application_id', async () => {
    const token = await fetchToken(sandbox);
    const info = await rawClient(sandbox).get<Record<string, unknown>>('oauth/token/info', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(info.statusCode).toBe(200);
    expect(info.body).toEqual({
      resource_owner_id: expect.any(Number),
      scopes: [],
      expires_in_seconds: expect.any(Number),
      application: { uid: CLIENT_ID },
      created_at: expect.any(Number),
    });
  });

  it('answers 401 for missing, forged and revoked tokens', async () => {
    const headers = { 'procore-company-id': String(COMPANY_ID) };
    const missing = await rawClient(sandbox).get('rest/v1.0/projects', {
      headers,
      searchParams: { company_id: COMPANY_ID },
    });
    expect(missing.statusCode).toBe(401);
    expect(missing.body).toEqual({ errors: 'The access token is invalid' });

    const token = await fetchToken(sandbox);
    const forged = `${token.slice(0, -3)}abc`;
    const bad = await rawClient(sandbox).get('rest/v1.0/projects', {
      headers: { ...headers, authorization: `Bearer ${forged}` },
    });
    expect(bad.statusCode).toBe(401);

    await rawClient(sandbox).post('oauth/revoke', { form: { token } });
    const revoked = await rawClient(sandbox).get('rest/v1.0/projects', {
      headers: { ...headers, authorization: `Bearer ${token}` },
    });
    expect(revoked.statusCode).toBe(401);
  });

  it('requires the Procore-Company-Id header and the right company', async () => {
    const token = await fetchToken(sandbox);
    const client = rawClient(sandbox).extend({ headers: { authorization: `Bearer ${token}` } });
    const missing = await client.get<{ errors: string }>('rest/v1.0/projects', {
      searchParams: { company_id: COMPANY_ID },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body.errors).toMatch(/^Missing Procore-Company-Id header!/);

    const other = await client.get<{ errors: string }>('rest/v1.0/projects', {
      searchParams: { company_id: 1 },
      headers: { 'procore-company-id': '1' },
    });
    expect(other.statusCode).toBe(403);
    expect(other.body.errors).toBe('App is not connected to this company');
  });

  it('lets tokens expire after the configured lifetime', async () => {
    const shortLived = await startSandbox({ tokenLifetimeSeconds: 3 });
    try {
      const client = await apiClient(shortLived);
      const first = await client.get('rest/v1.0/projects', { searchParams: { company_id: COMPANY_ID } });
      expect(first.statusCode).toBe(200);
      const expired = await waitFor(async () => {
        const response = await client.get('rest/v1.0/projects', { searchParams: { company_id: COMPANY_ID } });
        return response.statusCode === 401 ? response : null;
      }, 'the token to expire');
      expect(expired.body).toEqual({ errors: 'The access token is invalid' });
      expect(expired.headers['www-authenticate']).toContain('invalid_token');
    } finally {
      await shortLived.close();
    }
  });
});
