/**
 * One task queue per external API, so that the server's per-queue activity rate cap is a global cap across all
 * workers (every worker must set the same value).
 */
export const TASK_QUEUES = {
  sync: 'tandem-sync',
  salesforceApi: 'salesforce-api',
  procoreApi: 'procore-api',
  salesforceCdc: 'salesforce-cdc',
} as const;
