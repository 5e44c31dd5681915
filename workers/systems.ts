/** The two systems' API clients, built from configuration (real org and company, or the sandboxes). */
import type { TandemConfig } from '../common/config';
import { ProcoreClient } from '../activities/procore/client';
import { SalesforceSession } from '../activities/salesforce/session';

export function salesforceSession(config: TandemConfig): SalesforceSession {
  return new SalesforceSession({
    loginUrl: config.SALESFORCE_LOGIN_URL,
    clientId: config.SALESFORCE_CLIENT_ID,
    clientSecret: config.SALESFORCE_CLIENT_SECRET,
    apiVersion: config.SALESFORCE_API_VERSION,
    clientName: config.SALESFORCE_CLIENT_NAME,
  });
}

export function procoreClient(config: TandemConfig): ProcoreClient {
  return new ProcoreClient({
    loginUrl: config.PROCORE_LOGIN_URL,
    apiUrl: config.PROCORE_API_URL,
    clientId: config.PROCORE_CLIENT_ID,
    clientSecret: config.PROCORE_CLIENT_SECRET,
    companyId: config.PROCORE_COMPANY_ID,
  });
}
