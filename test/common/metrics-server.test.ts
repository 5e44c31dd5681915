/**
 * The workers' /metrics over real HTTP: with a token, a scrape without it (or with a wrong one) is 401; every
 * metric is named as Prometheus users expect.
 */
import got from 'got';
import { serveMetrics } from '../../common/metrics-server';
import { badMetricNames, metricNames } from '../support/metric-names';

describe('the workers’ metrics server', () => {
  it('requires the bearer token when it has one', async () => {
    const served = await serveMetrics('127.0.0.1', 0, 'metrics-token-0123456789');
    try {
      const scrape = (authorization?: string) =>
        got(served.url, {
          throwHttpErrors: false,
          retry: { limit: 0 },
          headers: authorization ? { authorization } : {},
        });
      expect((await scrape()).statusCode).toBe(401);
      expect((await scrape('Bearer metrics-token-0123456780')).statusCode).toBe(401);
      expect((await scrape('metrics-token-0123456789')).statusCode).toBe(401);
      const ok = await scrape('Bearer metrics-token-0123456789');
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('# HELP');
    } finally {
      await served.close();
    }
  });

  it('names every metric as Prometheus does: the standard process and Node.js names, no word doubled', async () => {
    const served = await serveMetrics('127.0.0.1', 0);
    try {
      const scrape = await got(served.url, { retry: { limit: 0 } }).text();
      expect(metricNames(scrape)).toEqual(
        expect.arrayContaining([
          'process_cpu_user_seconds_total',
          'process_resident_memory_bytes',
          'nodejs_eventloop_lag_seconds',
          'tandem_syncs_total',
        ]),
      );
      expect(badMetricNames(scrape)).toEqual([]);
    } finally {
      await served.close();
    }
  });

  it('serves loopback scrapes without a token when it has none', async () => {
    const served = await serveMetrics('127.0.0.1', 0);
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect((await got(served.url, { retry: { limit: 0 } })).statusCode).toBe(200);
    } finally {
      await served.close();
    }
  });
});
