/**
 * The two systems as the benchmark sees them: the sandbox credentials, the fields its edits change, and API
 * clients built the way Tandem builds its own (so the floor and the observers are as efficient as Tandem).
 */
import { ProcoreClient } from '../../activities/procore/client';
import { SalesforceSession } from '../../activities/salesforce/session';
import { SANDBOX_DEFAULT_CREDENTIALS } from '../../common/config';

export const SANDBOX_CREDENTIALS = {
  salesforce: { ...SANDBOX_DEFAULT_CREDENTIALS.salesforce, apiVersion: '60.0' },
  procore: { ...SANDBOX_DEFAULT_CREDENTIALS.procore, companyId: 4264807 },
} as const;

export type Direction = 'salesforceToProcore' | 'procoreToSalesforce';
export const DIRECTIONS: readonly Direction[] = ['salesforceToProcore', 'procoreToSalesforce'];

/**
 * One field per direction, so the two directions never edit the same field and each observation says which
 * direction it belongs to. Both are text, so every edit can carry a unique value.
 */
export const EDITED_FIELD = {
  salesforceToProcore: { salesforce: 'Description__c', procore: 'description' },
  procoreToSalesforce: { salesforce: 'City__c', procore: 'city' },
} as const;

/** One sandbox pair: a Salesforce org and a Procore company, with the sync under test between them. */
export interface SandboxUrls {
  salesforceUrl: string;
  procoreUrl: string;
}

export function procoreClient(procoreUrl: string): ProcoreClient {
  const { clientId, clientSecret, companyId } = SANDBOX_CREDENTIALS.procore;
  return new ProcoreClient({ loginUrl: procoreUrl, apiUrl: procoreUrl, clientId, clientSecret, companyId });
}

/** `clientName` is what the session's writes carry in their CDC events' changeOrigin (`client=…`). */
export function salesforceSession(salesforceUrl: string, clientName: string): SalesforceSession {
  const { clientId, clientSecret, apiVersion } = SANDBOX_CREDENTIALS.salesforce;
  return new SalesforceSession({ loginUrl: salesforceUrl, clientId, clientSecret, apiVersion, clientName });
}

export interface ProcoreProjectBody {
  id: number;
  origin_id: string | null;
  updated_at: string;
  [field: string]: unknown;
}

export function readProcoreProject(client: ProcoreClient, id: number | string): Promise<ProcoreProjectBody> {
  return client.request<ProcoreProjectBody>('GET', `/rest/v1.0/projects/${id}`, {
    searchParams: { company_id: client.settings.companyId },
  });
}
