/** Which systems `tandem start` emulates: a sandbox only where the URL settings are left at the sandbox default. */
import { loadConfig } from '../../common/config';
import { planSandboxes } from '../../workers/local-system/sandbox-plan';

function plan(env: NodeJS.ProcessEnv) {
  return planSandboxes(loadConfig(env), env);
}

describe('planSandboxes', () => {
  it('emulates both systems when no URL is configured', () => {
    expect(plan({})).toEqual({ salesforce: true, procore: true });
  });

  it('treats the sandbox URLs themselves as the default', () => {
    expect(
      plan({
        SALESFORCE_LOGIN_URL: 'http://localhost:4001/',
        PROCORE_LOGIN_URL: 'http://127.0.0.1:4002',
        PROCORE_API_URL: 'http://127.0.0.1:4002',
      }),
    ).toEqual({ salesforce: true, procore: true });
    expect(plan({ SALESFORCE_SANDBOX_PORT: '5001', SALESFORCE_LOGIN_URL: 'http://127.0.0.1:5001' }).salesforce).toBe(
      true,
    );
  });

  it('uses a real system as soon as its URLs name one', () => {
    expect(plan({ SALESFORCE_LOGIN_URL: 'https://acme.my.salesforce.com' })).toEqual({
      salesforce: false,
      procore: true,
    });
    expect(
      plan({ PROCORE_LOGIN_URL: 'https://login.procore.com', PROCORE_API_URL: 'https://api.procore.com' }),
    ).toEqual({ salesforce: true, procore: false });
    expect(plan({ PROCORE_API_URL: 'https://sandbox.procore.com' }).procore).toBe(false);
  });

  it('follows TANDEM_SANDBOXES=on|off over the URLs', () => {
    expect(plan({ TANDEM_SANDBOXES: 'off' })).toEqual({ salesforce: false, procore: false });
    expect(plan({ TANDEM_SANDBOXES: 'on', SALESFORCE_LOGIN_URL: 'https://acme.my.salesforce.com' })).toEqual({
      salesforce: true,
      procore: true,
    });
  });
});
