/**
 * API calls as the sandboxes count them (`GET /sandbox/stats`), over a window. CometD long-polls are left out:
 * Salesforce meters event delivery separately from REST calls, and a subscriber's polls depend on time, not on
 * changes. The benchmark's own observer calls are subtracted, so what is left is the sync's.
 */
import got from 'got';
import type { SandboxUrls } from './systems';

export type RouteCounts = Record<string, number>;

export interface ApiCallCounts {
  salesforce: RouteCounts;
  procore: RouteCounts;
}

const isStreaming = (route: string) => route.includes('/cometd');

async function restCalls(url: string): Promise<RouteCounts> {
  const stats = await got(`${url}/sandbox/stats`).json<{ api: RouteCounts }>();
  return Object.fromEntries(Object.entries(stats.api).filter(([route]) => !isStreaming(route)));
}

export async function readApiCalls(pair: SandboxUrls): Promise<ApiCallCounts> {
  const [salesforce, procore] = await Promise.all([restCalls(pair.salesforceUrl), restCalls(pair.procoreUrl)]);
  return { salesforce, procore };
}

function subtract(after: RouteCounts, before: RouteCounts, own: RouteCounts = {}): RouteCounts {
  const delta: RouteCounts = {};
  for (const [route, count] of Object.entries(after)) {
    const n = count - (before[route] ?? 0) - (own[route] ?? 0);
    if (n !== 0) delta[route] = n;
  }
  return delta;
}

export function callsBetween(
  before: ApiCallCounts,
  after: ApiCallCounts,
  own: Partial<ApiCallCounts> = {},
): ApiCallCounts {
  return {
    salesforce: subtract(after.salesforce, before.salesforce, own.salesforce),
    procore: subtract(after.procore, before.procore, own.procore),
  };
}

export const totalOf = (counts: RouteCounts) => Object.values(counts).reduce((sum, n) => sum + n, 0);

/** Counts the benchmark's own API calls by the sandboxes' route keys, to subtract them. */
export class OwnCalls {
  private procore: RouteCounts = {};

  countProcore(route: string): void {
    this.procore[route] = (this.procore[route] ?? 0) + 1;
  }

  /** The calls counted since the last take. */
  take(): Partial<ApiCallCounts> {
    const taken = { procore: this.procore };
    this.procore = {};
    return taken;
  }
}

/** Resolves once the counts stopped changing for `quietMs`: the sync has finished its trailing work. */
export async function callsSettle(pair: SandboxUrls, quietMs: number, timeoutMs: number): Promise<ApiCallCounts> {
  const deadline = Date.now() + timeoutMs;
  let last = await readApiCalls(pair);
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await readApiCalls(pair);
    if (JSON.stringify(now) !== JSON.stringify(last)) {
      last = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= quietMs) return now;
  }
  return last;
}
