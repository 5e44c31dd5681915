/**
 * `tandem start` with TANDEM_SANDBOXES=on runs both sandboxes in place of whatever the URLs name, so real-looking
 * URLs with the sandboxes' own credentials are no reason to refuse; without the switch they still are.
 */
import { loadConfig } from '../../common/config';
import { TandemError } from '../../common/errors';
import { assertNoSandboxCredentialsAsPlanned } from '../../workers/local-system/local-system';

const REAL_LOOKING = {
  SALESFORCE_LOGIN_URL: 'https://acme.my.salesforce.com',
  PROCORE_LOGIN_URL: 'https://login.procore.com',
  PROCORE_API_URL: 'https://api.procore.com',
};

const check = (env: NodeJS.ProcessEnv) => () => assertNoSandboxCredentialsAsPlanned(loadConfig(env), env);

describe('the sandbox-credential refusal of tandem start', () => {
  it('lets TANDEM_SANDBOXES=on start with real-looking URLs and the default credentials', () => {
    expect(check({ ...REAL_LOOKING, TANDEM_SANDBOXES: 'on' })).not.toThrow();
  });

  it('still refuses them when the URLs are used (auto), naming every default credential', () => {
    expect(check(REAL_LOOKING)).toThrow(TandemError);
    expect(check(REAL_LOOKING)).toThrow(/SALESFORCE_CLIENT_SECRET[\s\S]*PROCORE_WEBHOOK_SECRET/);
  });

  it('refuses only for the system left real when one sandbox is planned', () => {
    const env = { SALESFORCE_LOGIN_URL: REAL_LOOKING.SALESFORCE_LOGIN_URL };
    expect(check(env)).toThrow(/SALESFORCE_CLIENT_ID/);
    expect(check(env)).not.toThrow(/PROCORE/);
  });
});
