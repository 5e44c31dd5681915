/**
 * The front door every Procore API request passes, in order: counted in the stats, delayed by the latency fault,
 * charged to the rate limit (headers on every response, 429 when spent), hit by forced 429 or 5xx faults, and,
 * for REST calls, checked for a valid bearer token and the `Procore-Company-Id` header. Sandbox controls
 * (`/sandbox/...`) and the console page (`/`) skip all of it.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerToken, type TokenAuthority, type TokenClaims } from './auth';
import type { Company } from './company';
import { procoreErrors } from './errors';
import { FAULT_RETRY_AFTER_SECONDS, type Faults } from './faults';
import type { RateLimiter } from './rate-limit';
import type { Stats } from './stats';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified token of a REST call; set by the gateway before any handler runs. */
    procoreToken: TokenClaims | null;
  }
}

export interface GatewayParts {
  authority: TokenAuthority;
  company: Company;
  faults: Faults;
  rateLimiter: RateLimiter;
  stats: Stats;
}

export function isSandboxControl(url: string): boolean {
  return url === '/' || url.startsWith('/?') || url.startsWith('/sandbox/') || url === '/favicon.ico';
}

/** Rate limits count per client, and per company when the header names one (Procore's DMSA rule). */
function rateLimitKey(request: FastifyRequest, authority: TokenAuthority): string {
  const token = bearerToken(request);
  const client = (token && authority.decode(token)?.sub) ?? `ip:${request.ip}`;
  const companyHeader = request.headers['procore-company-id'];
  return companyHeader ? `${client}@${String(companyHeader)}` : client;
}

function applyServerErrorFault(faults: Faults): void {
  const status = faults.rollServerError();
  if (status === null) return;
  const retryAfter = { 'Retry-After': String(FAULT_RETRY_AFTER_SECONDS) };
  throw status === 503 ? procoreErrors.UNAVAILABLE(retryAfter) : procoreErrors.INTERNAL(retryAfter);
}

export function registerGateway(app: FastifyInstance, parts: GatewayParts): void {
  const { authority, company, faults, rateLimiter, stats } = parts;
  app.decorateRequest('procoreToken', null);

  app.addHook('onRequest', async (request, reply) => {
    if (isSandboxControl(request.url)) return;
    reply.header('X-Request-Id', randomUUID());
    stats.countApiCall(request.method, request.routeOptions.url ?? '(unmatched)');
    if (faults.latencyMs > 0) await delay(faults.latencyMs);

    const key = rateLimitKey(request, authority);
    if (faults.takeForced429()) {
      throw procoreErrors.RATE_LIMITED({
        ...rateLimiter.spentHeaders(key),
        'Retry-After': String(FAULT_RETRY_AFTER_SECONDS),
      });
    }
    reply.headers(rateLimiter.consume(key));
    applyServerErrorFault(faults);

    if (!request.url.startsWith('/rest/')) return;
    request.procoreToken = authority.verify(bearerToken(request));
    if (!request.procoreToken) {
      reply.header(
        'WWW-Authenticate',
        'Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token is invalid"',
      );
      throw procoreErrors.TOKEN_INVALID();
    }
    company.checkHeader(request);
  });
}
