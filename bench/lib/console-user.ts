/** The sandbox consoles' user endpoints: edits as a person in each system's UI makes them (no API latency, not metered). */
import got from 'got';
import type { SandboxUrls } from './systems';

export interface LinkedProject {
  salesforceId: string;
  procoreId: number;
}

export const consoleUser = {
  // A connection reset by a loaded sandbox ended a 10,000-project run at 4,511: try again (at worst one extra record).
  createSalesforceProject: (pair: SandboxUrls, fields: Record<string, unknown>) =>
    got
      .post(`${pair.salesforceUrl}/sandbox/ui/Project__c`, { json: fields, retry: { limit: 2, methods: ['POST'] } })
      .json<{ Id: string }>(),
  editSalesforceProject: (pair: SandboxUrls, id: string, fields: Record<string, unknown>) =>
    got.patch(`${pair.salesforceUrl}/sandbox/ui/Project__c/${id}`, { json: fields }).json<{ Id: string }>(),
  createProcoreProject: (pair: SandboxUrls, fields: Record<string, unknown>) =>
    got.post(`${pair.procoreUrl}/sandbox/ui/projects`, { json: fields }).json<{ id: number }>(),
  editProcoreProject: (pair: SandboxUrls, id: number, fields: Record<string, unknown>) =>
    got.patch(`${pair.procoreUrl}/sandbox/ui/projects/${id}`, { json: fields }).json<{ id: number }>(),
};

/** Runs `task` for 0..count-1 with at most `concurrency` at a time, results in order. */
export async function boundedMap<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return results;
}
