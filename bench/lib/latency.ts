/** Latency percentiles, nearest-rank. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(latencies: number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const mean = sorted.length ? sorted.reduce((sum, x) => sum + x, 0) / sorted.length : 0;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? 0),
    mean: round(mean),
  };
}

export function ratioOf(a: LatencySummary, b: LatencySummary): Pick<LatencySummary, 'p50' | 'p95' | 'p99' | 'max'> {
  const r = (x: number, y: number) => (y > 0 ? Math.round((x / y) * 100) / 100 : 0);
  return { p50: r(a.p50, b.p50), p95: r(a.p95, b.p95), p99: r(a.p99, b.p99), max: r(a.max, b.max) };
}
