/**
 * The operator page at /ui: every ProjectSync with its status, link and last error, a re-sync button, a status
 * filter and links to the Temporal UI. It is a shell with no data of its own: everything it shows and does goes
 * through the operator API (/api/*), so it works the same against real systems and needs the same token.
 * The ingress's root, the address `tandem start` prints for it, leads here.
 */
import type { FastifyPluginAsync } from 'fastify';
import { renderOperatorPage } from './page';

export interface OperatorUiOptions {
  /** Whether /api wants a bearer token: the page then asks for it before its first call. */
  tokenRequired: boolean;
}

export const operatorUiPlugin: FastifyPluginAsync<OperatorUiOptions> = async (app, options) => {
  const page = renderOperatorPage({ tokenRequired: options.tokenRequired });
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/ui', 302));
  app.get('/ui', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header(
        'content-security-policy',
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'",
      )
      .send(page),
  );
};
