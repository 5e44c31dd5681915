/**
 * Where the console reads from: both sandboxes' own console lists (not API calls, so they cost no rate limit and
 * do not show in the API statistics) and the operator API's list of ProjectSync workflows.
 */
import got from 'got';
import { errors } from '../../common/errors';
import { operatorClient } from '../../ingress/operator-api/client';
import type { ProjectSummary } from '../../ingress/operator-api/projects';

export interface SalesforceRecord {
  Id: string;
  Name: string | null;
  Project_Number__c?: string | null;
  Project_Type__c?: string | null;
  Stage__c?: string | null;
  City__c?: string | null;
  Start_Date__c?: string | null;
  Estimated_Value__c?: number | null;
  Description__c?: string | null;
  Procore_ID__c?: string | null;
  IsDeleted?: boolean;
  LastModifiedDate?: string;
}

interface Reference {
  id: number;
  name: string;
}

export interface ProcoreProject {
  id: number;
  name: string | null;
  project_number?: string | null;
  city?: string | null;
  start_date?: string | null;
  total_value?: string | number | null;
  description?: string | null;
  origin_id: string | null;
  active?: boolean;
  project_type?: Reference | null;
  project_stage?: Reference | null;
  updated_at?: string;
}

export interface ConsoleSources {
  salesforceUrl: string;
  procoreUrl: string;
  operatorApiUrl: string;
  operatorApiToken?: string;
}

export interface Board {
  salesforce: SalesforceRecord[];
  procore: ProcoreProject[];
  syncs: ProjectSummary[];
  /** What could not be read this time; the page shows it instead of failing. */
  problems: string[];
}

const READ_TIMEOUT_MS = 5000;

async function readSandbox<T>(system: string, url: string): Promise<T> {
  try {
    return await got(url, { retry: { limit: 0 }, timeout: { request: READ_TIMEOUT_MS } }).json<T>();
  } catch (err) {
    throw errors.SANDBOX_UNREACHABLE(system, url, (err as Error).message);
  }
}

/** Newest first, deleted records left out: the Salesforce list view shows live records. */
async function salesforceRecords(url: string): Promise<SalesforceRecord[]> {
  const records = await readSandbox<SalesforceRecord[]>('Salesforce', `${url}/sandbox/records`);
  return records
    .filter((r) => !r.IsDeleted)
    .sort((a, b) => String(b.LastModifiedDate).localeCompare(String(a.LastModifiedDate)));
}

export async function readBoard(sources: ConsoleSources): Promise<Board> {
  const operator = operatorClient({
    baseUrl: sources.operatorApiUrl,
    token: sources.operatorApiToken,
    timeoutMs: READ_TIMEOUT_MS,
  });
  const [salesforce, procore, syncs] = await Promise.allSettled([
    salesforceRecords(sources.salesforceUrl),
    readSandbox<ProcoreProject[]>('Procore', `${sources.procoreUrl}/sandbox/ui/projects`),
    operator.listProjects(),
  ]);
  const problems = [salesforce, procore, syncs].flatMap((r) =>
    r.status === 'rejected' ? [(r.reason as Error).message] : [],
  );
  const valueOf = <T>(r: PromiseSettledResult<T[]>): T[] => (r.status === 'fulfilled' ? r.value : []);
  return { salesforce: valueOf(salesforce), procore: valueOf(procore), syncs: valueOf(syncs), problems };
}

/** 15- and 18-character forms of one Salesforce id share their first 15 characters. */
export function sameSalesforceId(a: string, b: string): boolean {
  return a.slice(0, 15) === b.slice(0, 15);
}
