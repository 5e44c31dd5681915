/** Counters behind `GET /sandbox/stats`: Procore API calls by method and route, and webhook delivery outcomes. */
export interface StatsReport {
  api: Record<string, number>;
  total: number;
  webhooks: { delivered: number; failed: number; pending: number; dropped: number };
}

export class Stats {
  private readonly api = new Map<string, number>();
  private total = 0;
  private delivered = 0;
  private failed = 0;
  private dropped = 0;

  /** `route` is the route pattern (`/rest/v1.0/projects/:id`), so ids do not split the counts. */
  countApiCall(method: string, route: string): void {
    const key = `${method} ${route}`;
    this.api.set(key, (this.api.get(key) ?? 0) + 1);
    this.total += 1;
  }

  countDelivery(ok: boolean): void {
    if (ok) this.delivered += 1;
    else this.failed += 1;
  }

  /** An event the drop fault lost: never queued, never attempted. */
  countDroppedDelivery(): void {
    this.dropped += 1;
  }

  report(pending: number): StatsReport {
    return {
      api: Object.fromEntries(this.api),
      total: this.total,
      webhooks: { delivered: this.delivered, failed: this.failed, pending, dropped: this.dropped },
    };
  }
}
