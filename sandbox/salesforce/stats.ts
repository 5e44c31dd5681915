/** Counts of Salesforce API calls by method and route pattern, for `GET /sandbox/stats` and `Sforce-Limit-Info`. */
export interface StatsSnapshot {
  api: Record<string, number>;
  total: number;
}

export class ApiStats {
  private readonly counts = new Map<string, number>();
  private total = 0;

  /** `route` is the pattern (`/services/data/:version/sobjects/:sobject/:id`), so ids do not split the counts. */
  record(method: string, route: string): void {
    const key = `${method.toUpperCase()} ${route}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.total++;
  }

  get used(): number {
    return this.total;
  }

  snapshot(): StatsSnapshot {
    return { api: Object.fromEntries(this.counts), total: this.total };
  }
}
