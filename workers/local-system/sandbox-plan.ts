/**
 * Which systems `tandem start` emulates. A system runs on its sandbox while its URL settings are left at the
 * sandbox default; once they name a real org or company, the real one is used (TANDEM_SANDBOXES=auto).
 */
import type { TandemConfig } from '../../common/config';
import { PROCORE_SANDBOX_DEFAULTS } from '../../sandbox/procore/index';
import { SANDBOX_DEFAULTS as SALESFORCE_SANDBOX_DEFAULTS } from '../../sandbox/salesforce/index';

export const SANDBOX_HOST = '127.0.0.1';

export interface SandboxPlan {
  salesforce: boolean;
  procore: boolean;
}

/** Unset, or a loopback URL on the sandbox's port (or the schema's default port) with no path. */
function isSandboxDefault(value: string | undefined, ports: number[]): boolean {
  if (!value) return true;
  try {
    const url = new URL(value);
    const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
    return loopback && url.protocol === 'http:' && url.pathname === '/' && ports.includes(Number(url.port));
  } catch {
    return false;
  }
}

export function planSandboxes(config: TandemConfig, env: NodeJS.ProcessEnv): SandboxPlan {
  if (config.TANDEM_SANDBOXES !== 'auto') {
    const on = config.TANDEM_SANDBOXES === 'on';
    return { salesforce: on, procore: on };
  }
  const salesforcePorts = [config.SALESFORCE_SANDBOX_PORT, SALESFORCE_SANDBOX_DEFAULTS.port];
  const procorePorts = [config.PROCORE_SANDBOX_PORT, PROCORE_SANDBOX_DEFAULTS.port];
  return {
    salesforce: isSandboxDefault(env.SALESFORCE_LOGIN_URL, salesforcePorts),
    procore:
      isSandboxDefault(env.PROCORE_LOGIN_URL, procorePorts) && isSandboxDefault(env.PROCORE_API_URL, procorePorts),
  };
}
