/**
 * A request that says `Content-Type: application/json` but carries no body is a request without parameters, as
 * Rails reads it: procore-oss/ruby-sdk sends every DELETE that way (the JSON content type on all requests, no
 * payload). Fastify's own parser would refuse it as an empty JSON body; a body that is there must still be JSON.
 */
import type { FastifyInstance } from 'fastify';

export function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    if (text === '') return done(null, undefined);
    void parseJson(request, text, done);
  });
}
