/** The workers' /metrics over real HTTP: with a token, a scrape without it (or with a wrong one) is 401. */
import got from 'got';
import { serveMetrics } from '../../common/metrics-server';

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
