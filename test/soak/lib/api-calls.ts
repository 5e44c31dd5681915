/**
 * API calls as the sandboxes count them (`GET /sandbox/stats`, by method and route). CometD long-polls are left
 * out: they depend on time, not on edits, and Salesforce meters event delivery apart from REST calls. So are the
 * reconciliation's periodic reads (Procore's v1.1 list, Salesforce's replication API and queryAll, which the sync
 * never calls): they run with or without edits; what the sweeps hand over costs ordinary calls, which are counted.
 * So is the ingress's upkeep of its Procore webhook (a GET and a PATCH of the hook at start and every
 * WEBHOOK_RECHECK_MS, 5 minutes): it runs on a clock, and a check falling after quiescence is no sync writing.
 * Writes are the calls that change data (POST, PATCH, PUT, DELETE), except logins.
 */
import got from 'got';

export type RouteCounts = Record<string, number>;

export interface CallCounts {
  salesforce: RouteCounts;
  procore: RouteCounts;
  /** Procore webhook events not yet delivered (queued, held for reordering or waiting out a retry). */
  pendingWebhooks: number;
  /** The replayId of Salesforce's newest change event: what the CDC stream must have handed over. */
  newestChangeEvent: number;
}

const isStreaming = (route: string) => route.includes('/cometd');
/** The sweeps' own calls: Procore's v1.1 list, Salesforce's replication windows and their queryAll. */
const isSweep = (route: string) =>
  route === 'GET /rest/v1.1/projects' || /\/(updated|deleted|queryAll)(\/|$)/.test(route);
const isHookUpkeep = (route: string) => route.includes(' /rest/v1.0/webhooks/hooks');
const isLogin = (route: string) => route.includes('oauth');
const isWrite = (route: string) => /^(POST|PATCH|PUT|DELETE) /.test(route) && !isLogin(route);

interface StatsBody {
  api: RouteCounts;
  webhooks?: { pending: number };
  changeEvents?: { newestReplayId: number };
}

export async function readCalls(salesforceUrl: string, procoreUrl: string): Promise<CallCounts> {
  const [salesforce, procore] = await Promise.all(
    [salesforceUrl, procoreUrl].map((url) => got(`${url}/sandbox/stats`).json<StatsBody>()),
  );
  const rest = (api: RouteCounts) =>
    Object.fromEntries(
      Object.entries(api).filter(([route]) => !isStreaming(route) && !isSweep(route) && !isHookUpkeep(route)),
    );
  return {
    salesforce: rest(salesforce!.api),
    procore: rest(procore!.api),
    pendingWebhooks: procore!.webhooks?.pending ?? 0,
    newestChangeEvent: salesforce!.changeEvents?.newestReplayId ?? 0,
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

/** The write routes whose count grew, as `PATCH /rest/v1.0/projects/:id ×2`: what a loop kept writing. */
function grown(before: RouteCounts, after: RouteCounts): string[] {
  return Object.entries(after)
    .filter(([route, n]) => isWrite(route) && n > (before[route] ?? 0))
    .map(([route, n]) => `${route} ×${n - (before[route] ?? 0)}`);
}

export function writesBetween(
  before: CallCounts,
  after: CallCounts,
): { salesforce: number; procore: number; routes: string[] } {
  return {
    salesforce: sum(after.salesforce, isWrite) - sum(before.salesforce, isWrite),
    procore: sum(after.procore, isWrite) - sum(before.procore, isWrite),
    routes: [...grown(before.salesforce, after.salesforce), ...grown(before.procore, after.procore)],
  };
}
