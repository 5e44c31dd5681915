/** One error shape for every ingress route: `{ code, message, statusCode }`, the code being a TANDEM_… code. */
import type { FastifyError, FastifyInstance } from 'fastify';
import { TandemError } from '../common/errors';

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | TandemError, request, reply) => {
    if (err instanceof TandemError) {
      if (err.statusCode >= 500) request.log.error({ err }, err.message);
      return reply.status(err.statusCode).send({ code: err.code, message: err.message, statusCode: err.statusCode });
    }
    const statusCode = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (statusCode >= 500) request.log.error({ err }, 'request failed');
    const code = err.validation ? 'TANDEM_BAD_REQUEST' : (err.code ?? 'TANDEM_INTERNAL');
    return reply.status(statusCode).send({ code, message: err.message, statusCode });
  });
}
