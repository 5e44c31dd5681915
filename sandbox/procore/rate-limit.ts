/**
 * Procore's two rate-limit windows, hourly and spike (10 s by default), counted per client and company. Every
 * response reports the window closer to running out in `X-Rate-Limit-Limit/-Remaining/-Reset` (Reset in Unix
 * seconds); a request over either budget gets 429 with `Retry-After`. Failed requests count like any other.
 */
import { procoreErrors } from './errors';

export interface RateLimitOptions {
  hourly: number;
  spikeWindowSeconds: number;
  spikeLimit: number;
}

interface Window {
  limit: number;
  lengthMs: number;
  startedAt: number;
  used: number;
}

// A type alias, not an interface, so it is assignable where Fastify expects a header record.
export type RateLimitHeaders = {
  'X-Rate-Limit-Limit': string;
  'X-Rate-Limit-Remaining': string;
  'X-Rate-Limit-Reset': string;
};

const HOUR_MS = 3_600_000;

function roll(window: Window, now: number): void {
  if (now - window.startedAt < window.lengthMs) return;
  window.startedAt = now;
  window.used = 0;
}

function resetAt(window: Window): number {
  return window.startedAt + window.lengthMs;
}

function headersFor(window: Window): RateLimitHeaders {
  return {
    'X-Rate-Limit-Limit': String(window.limit),
    'X-Rate-Limit-Remaining': String(Math.max(window.limit - window.used, 0)),
    'X-Rate-Limit-Reset': String(Math.ceil(resetAt(window) / 1000)),
  };
}

/** The window with the smaller share left is the one Procore reports. */
function tighter(a: Window, b: Window): Window {
  return (a.limit - a.used) / a.limit <= (b.limit - b.used) / b.limit ? a : b;
}

export class RateLimiter {
  private readonly clients = new Map<string, { hourly: Window; spike: Window }>();

  constructor(private readonly options: RateLimitOptions) {}

  /** Counts one request; throws the 429 (with headers) when a budget is already spent. */
  consume(key: string, now = Date.now()): RateLimitHeaders {
    const windows = this.windows(key, now);
    roll(windows.hourly, now);
    roll(windows.spike, now);
    const exhausted = [windows.spike, windows.hourly].find((w) => w.used >= w.limit);
    if (exhausted) {
      const retryAfter = Math.max(Math.ceil((resetAt(exhausted) - now) / 1000), 1);
      throw procoreErrors.RATE_LIMITED({ ...headersFor(exhausted), 'Retry-After': String(retryAfter) });
    }
    windows.hourly.used += 1;
    windows.spike.used += 1;
    return headersFor(tighter(windows.spike, windows.hourly));
  }

  /** Headers for a forced 429: the spike window, shown as spent. */
  spentHeaders(key: string, now = Date.now()): RateLimitHeaders {
    const spike = this.windows(key, now).spike;
    return { ...headersFor(spike), 'X-Rate-Limit-Remaining': '0' };
  }

  private windows(key: string, now: number): { hourly: Window; spike: Window } {
    let windows = this.clients.get(key);
    if (!windows) {
      windows = {
        hourly: { limit: this.options.hourly, lengthMs: HOUR_MS, startedAt: now, used: 0 },
        spike: {
          limit: this.options.spikeLimit,
          lengthMs: this.options.spikeWindowSeconds * 1000,
          startedAt: now,
          used: 0,
        },
      };
      this.clients.set(key, windows);
    }
    return windows;
  }
}
