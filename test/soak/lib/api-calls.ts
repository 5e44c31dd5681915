/**
 * API calls as the sandboxes count them (`GET /sandbox/stats`, by method and route). CometD long-polls are left
 * out: they depend on time, not on edits, and Salesforce meters event delivery apart from REST calls. So are the
 * reconciliation's periodic reads (Procore's v1.1 list, Salesforce's replication API and queryAll, which the sync
 * never calls): they run with or without edits; what the sweeps hand over costs ordinary calls, which are counted.
 * Writes are the calls that change data (POST, PATCH, PUT, DELETE), except logins.
 */
import got from 'got';

export type RouteCounts = Record<string, number>;

export interface CallCounts {
  salesforce: RouteCounts;
  procore: RouteCounts;
  /** Procore webhook events not yet delivered (queued, held for reordering or waiting out a retry). */
  pendingWebhooks: number;
}

const isStreaming = (route: string) => route.includes('/cometd');
/** The sweeps' own calls: Procore's v1.1 list, Salesforce's replication windows and their queryAll. */
const isSweep = (route: string) =>
  route === 'GET /rest/v1.1/projects' || /\/(updated|deleted|queryAll)(\/|$)/.test(route);
const isLogin = (route: string) => route.includes('oauth');
const isWrite = (route: string) => /^(POST|PATCH|PUT|DELETE) /.test(route) && !isLogin(route);

interface StatsBody {
  api: RouteCounts;
  webhooks?: { pending: number };
}

export async function readCalls(salesforceUrl: string, procoreUrl: string): Promise<CallCounts> {
  const [salesforce, procore] = await Promise.all(
    [salesforceUrl, procoreUrl].map((url) => got(`${url}/sandbox/stats`).json<StatsBody>()),
  );
  const rest = (api: RouteCounts) =>
    Object.fromEntries(Object.entries(api).filter(([route]) => !isStreaming(route) && !isSweep(route)));
  return {
    salesforce: rest(salesforce!.api),
    procore: rest(procore!.api),
    pendingWebhooks: procore!.webhooks?.pending ?? 0,
  };
}

const sum = (counts: RouteCounts, keep: (route: string) => boolean = () => true) =>
  Object.entries(counts).reduce((total, [route, n]) => (keep(route) ? total + n : total), 0);

export function callsBetween(before: CallCounts, after: CallCounts): { salesforce: number; procore: number } {
  return {
    salesforce: sum(after.salesforce) - sum(before.salesforce),
    procore: sum(after.procore) - sum(before.procore),
  };
}

export function writesBetween(before: CallCounts, after: CallCounts): { salesforce: number; procore: number } {
  return {
    salesforce: sum(after.salesforce, isWrite) - sum(before.salesforce, isWrite),
    procore: sum(after.procore, isWrite) - sum(before.procore, isWrite),
  };
}
