/**
 * Tandem's own view of each pair, from its operator API (`GET /api/projects`): a diverged pair that Tandem calls
 * `synced` is a silent divergence, the kind an operator would never be told about.
 */
import got from 'got';
import type { Comparison } from './compare';

export type Statuses = Map<string, string>;

/** Tandem's own view of each project, from its operator API; empty if the API does not answer. */
export async function tandemStatuses(ingressUrl: string): Promise<Statuses> {
  try {
    const body = await got(`${ingressUrl}/api/projects`, { timeout: { request: 15_000 } }).json<{
      projects: Array<{ salesforceId: string; status: string | null }>;
    }>();
    return new Map(body.projects.map((p) => [p.salesforceId, p.status ?? 'unknown']));
  } catch {
    return new Map();
  }
}

export function countStatuses(statuses: Statuses): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of statuses.values()) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

export function syncedButDiverged(statuses: Statuses, comparison: Comparison): number {
  return comparison.diverged.filter((d) => statuses.get(d.salesforceId) === 'synced').length;
}
