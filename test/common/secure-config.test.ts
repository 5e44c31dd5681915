import { loadConfig } from '../../common/config';
import { isLoopback, isRealSystemUrl, sandboxCredentialsInUse } from '../../common/secure-config';

describe('what counts as real, and as loopback', () => {
  it.each([
    ['https://login.salesforce.com', true],
    ['https://acme.my.salesforce.com', true],
    ['http://acme.my.salesforce.com', true],
    ['https://api.procore.com', true],
    ['https://sandbox.procore.com', true],
    ['https://procore-proxy.example.com', true],
    ['http://127.0.0.1:4002', false],
    ['http://procore-sandbox:4002', false],
    ['http://notprocore.com.example:80', false],
  ])('%s is real: %s', (url, real) => expect(isRealSystemUrl(url)).toBe(real));

  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['ingress', false],
  ])('%s is loopback: %s', (host, loopback) => expect(isLoopback(host)).toBe(loopback));
});

describe('sandbox credentials', () => {
  it('are fine against the sandboxes and named per real system otherwise', () => {
    expect(sandboxCredentialsInUse(loadConfig({}))).toEqual([]);
    expect(sandboxCredentialsInUse(loadConfig({ SALESFORCE_LOGIN_URL: 'https://login.salesforce.com' }))).toEqual([
      'SALESFORCE_CLIENT_ID',
      'SALESFORCE_CLIENT_SECRET',
    ]);
    const procoreReal = loadConfig({
      PROCORE_API_URL: 'https://api.procore.com',
      PROCORE_CLIENT_ID: 'own-client',
      PROCORE_CLIENT_SECRET: 'own-secret',
    });
    expect(sandboxCredentialsInUse(procoreReal)).toEqual(['PROCORE_WEBHOOK_SECRET']);
  });
});
