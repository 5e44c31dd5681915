/**
 * What Tandem refuses to start with: the sandboxes' published credentials against a real system, an operator API
 * or /metrics reachable beyond loopback without a token, and a real Procore with no public URL for its webhooks.
 * Each refusal is a configuration error (exit code 2) that names the settings and never their values.
 */
import { configSchema, type TandemConfig } from './config';
import { errors } from './errors';

type Setting = keyof TandemConfig;

/** Real Salesforce orgs and Procore companies only speak https; the sandboxes speak http. */
const REAL_HOSTS = /(^|\.)(salesforce\.com|force\.com|procore\.com)$/i;

export function isRealSystemUrl(value: string): boolean {
  const url = new URL(value);
  return url.protocol === 'https:' || REAL_HOSTS.test(url.hostname);
}

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

const SANDBOX_CREDENTIALS: Record<'salesforce' | 'procore', Setting[]> = {
  salesforce: ['SALESFORCE_CLIENT_ID', 'SALESFORCE_CLIENT_SECRET'],
  procore: ['PROCORE_CLIENT_ID', 'PROCORE_CLIENT_SECRET', 'PROCORE_WEBHOOK_SECRET'],
};

function schemaDefault(setting: Setting): unknown {
  return configSchema.shape[setting].parse(undefined);
}

export function realSystems(config: TandemConfig): { salesforce: boolean; procore: boolean } {
  return {
    salesforce: isRealSystemUrl(config.SALESFORCE_LOGIN_URL),
    procore: isRealSystemUrl(config.PROCORE_LOGIN_URL) || isRealSystemUrl(config.PROCORE_API_URL),
  };
}

/** The settings still at the sandbox's published value while their system is real. */
export function sandboxCredentialsInUse(config: TandemConfig): Setting[] {
  const real = realSystems(config);
  return (Object.keys(SANDBOX_CREDENTIALS) as Array<keyof typeof SANDBOX_CREDENTIALS>)
    .filter((system) => real[system])
    .flatMap((system) => SANDBOX_CREDENTIALS[system])
    .filter((setting) => config[setting] === schemaDefault(setting));
}

export function assertNoSandboxCredentials(config: TandemConfig): void {
  const found = sandboxCredentialsInUse(config);
  if (found.length === 0) return;
  throw errors.CONFIG_INVALID(
    found
      .map((setting) => `  ${setting}: is the sandbox's published default, and the system is real; set your own`)
      .join('\n'),
  );
}

/** An HTTP listener beyond loopback (`hostSetting`) needs TANDEM_API_TOKEN: the operator API and /metrics use it. */
export function assertTokenBeyondLoopback(config: TandemConfig, hostSetting: 'INGRESS_HOST' | 'METRICS_HOST'): void {
  if (config.TANDEM_API_TOKEN || isLoopback(config[hostSetting])) return;
  throw errors.CONFIG_INVALID(
    `  TANDEM_API_TOKEN: required when ${hostSetting} is beyond loopback (it is "${config[hostSetting]}"): ` +
      'without it anyone who reaches the port could read and re-sync projects',
  );
}

/** Procore must be told a URL it can reach; the listen address is only right for a sandbox next to the ingress. */
export function assertPublicUrlForRealProcore(config: TandemConfig): void {
  if (config.INGRESS_PUBLIC_URL || !realSystems(config).procore) return;
  throw errors.CONFIG_INVALID(
    '  INGRESS_PUBLIC_URL: required with a real Procore company: the URL Procore delivers webhooks to (https://…)',
  );
}

/** Everything the ingress must have before it listens. */
export function assertIngressSecure(config: TandemConfig): void {
  assertTokenBeyondLoopback(config, 'INGRESS_HOST');
  assertPublicUrlForRealProcore(config);
}
