/**
 * The Salesforce and Procore sandboxes inside the `tandem start` process, persisted under DATA_DIR. They accept
 * the configured client credentials, so the rest of Tandem talks to them exactly as to the real systems.
 */
import path from 'node:path';
import type { TandemConfig } from '../../common/config';
import type { Logger } from '../../common/logger';
import { startProcoreSandbox } from '../../sandbox/procore/index';
import { startSalesforceSandbox } from '../../sandbox/salesforce/index';
import type { Part } from '../lifecycle';
import { SANDBOX_HOST } from './sandbox-plan';

export interface StartedSandbox extends Part {
  url: string;
}

export async function startSalesforce(config: TandemConfig, dataDir: string, logger: Logger): Promise<StartedSandbox> {
  const sandbox = await startSalesforceSandbox({
    port: config.SALESFORCE_SANDBOX_PORT,
    host: SANDBOX_HOST,
    dataFile: path.join(dataDir, 'salesforce.json'),
    clientId: config.SALESFORCE_CLIENT_ID,
    clientSecret: config.SALESFORCE_CLIENT_SECRET,
    logger: logger.child({ component: 'salesforce-sandbox' }),
  });
  return { name: 'Salesforce sandbox', url: sandbox.url, stop: () => sandbox.close() };
}

export async function startProcore(config: TandemConfig, dataDir: string, logger: Logger): Promise<StartedSandbox> {
  const sandbox = await startProcoreSandbox({
    port: config.PROCORE_SANDBOX_PORT,
    host: SANDBOX_HOST,
    dataFile: path.join(dataDir, 'procore.json'),
    clientId: config.PROCORE_CLIENT_ID,
    clientSecret: config.PROCORE_CLIENT_SECRET,
    companyId: config.PROCORE_COMPANY_ID,
    logger: logger.child({ component: 'procore-sandbox' }),
  });
  return { name: 'Procore sandbox', url: sandbox.url, stop: () => sandbox.close() };
}

/** The configuration the rest of Tandem runs with: each emulated system's URLs point at its sandbox. */
export function pointAtSandboxes(config: TandemConfig, urls: { salesforce?: string; procore?: string }): TandemConfig {
  return {
    ...config,
    ...(urls.salesforce ? { SALESFORCE_LOGIN_URL: urls.salesforce } : {}),
    ...(urls.procore ? { PROCORE_LOGIN_URL: urls.procore, PROCORE_API_URL: urls.procore } : {}),
  };
}
