/**
 * `GET /services/data/vXX.X/limits`: the org's allocations as `{Name: {Max, Remaining}}`, names sorted as Salesforce
 * lists them ("Limits" resource, REST API guide; available from 29.0, so on every version the sandbox serves).
 *
 * - `DailyApiRequests` is the rolling 24-hour API allocation the sandbox counts: `Max` is the figure after the slash
 *   of `Sforce-Limit-Info: api-usage=used/max` and `Remaining` is `Max - used`, the call to `/limits` included (it
 *   counts as a call, and carries the same header). The two always agree within one response.
 * - `DurableStreamingApiConcurrentClients` (CometD clients of API 37.0 and later) counts the sandbox's connected
 *   CometD clients.
 * - The other entries are the usual ones of a Developer Edition org (whose daily API allocation, 15,000, the
 *   sandbox has); the sandbox neither counts nor enforces them, so their `Remaining` equals `Max`.
 */
import type { FastifyInstance } from 'fastify';
import { DAILY_API_LIMIT, type SandboxContext } from '../context';
import { apiVersion } from './common';

export interface Limit {
  Max: number;
  Remaining: number;
}

const STREAMING_CLIENTS = 20;

/** Allocations the sandbox reports but does not track. */
const UNTRACKED: Record<string, number> = {
  ConcurrentAsyncGetReportInstances: 200,
  ConcurrentSyncReportRuns: 20,
  DailyAsyncApexExecutions: 250_000,
  DailyBulkApiBatches: 15_000,
  DailyBulkV2QueryFileStorageMB: 976_562,
  DailyBulkV2QueryJobs: 10_000,
  DailyDeliveredPlatformEvents: 10_000,
  DailyDurableGenericStreamingApiEvents: 10_000,
  DailyDurableStreamingApiEvents: 10_000,
  DailyGenericStreamingApiEvents: 10_000,
  DailyStandardVolumePlatformEvents: 10_000,
  DailyStreamingApiEvents: 10_000,
  DailyWorkflowEmails: 405,
  DataStorageMB: 5,
  FileStorageMB: 20,
  HourlyAsyncReportRuns: 1_200,
  HourlyDashboardRefreshes: 200,
  HourlyDashboardResults: 5_000,
  HourlyDashboardStatuses: 999_999_999,
  HourlyODataCallout: 20_000,
  HourlyPublishedPlatformEvents: 50_000,
  HourlyPublishedStandardVolumePlatformEvents: 1_000,
  HourlySyncReportRuns: 500,
  HourlyTimeBasedWorkflow: 50,
  MassEmail: 10,
  SingleEmail: 15,
  StreamingApiConcurrentClients: STREAMING_CLIENTS,
};

export function orgLimits(ctx: SandboxContext): Record<string, Limit> {
  const limits: Record<string, Limit> = {
    DailyApiRequests: { Max: DAILY_API_LIMIT, Remaining: Math.max(0, DAILY_API_LIMIT - ctx.stats.used) },
    DurableStreamingApiConcurrentClients: {
      Max: STREAMING_CLIENTS,
      Remaining: Math.max(0, STREAMING_CLIENTS - ctx.cometd.clientCount),
    },
  };
  for (const [name, max] of Object.entries(UNTRACKED)) limits[name] = { Max: max, Remaining: max };
  return Object.fromEntries(Object.entries(limits).sort(([a], [b]) => a.localeCompare(b)));
}

export async function limitsRoutes(app: FastifyInstance, ctx: SandboxContext): Promise<void> {
  app.get('/services/data/:version/limits', async (request) => {
    apiVersion(request);
    return orgLimits(ctx);
  });
}
