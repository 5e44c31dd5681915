/**
 * Every error the Procore sandbox answers with, declared once with a code, a status and the body Procore sends.
 * Procore's error bodies are not uniform (see the facts file, "Error body shapes"), so each declaration says
 * which shape it uses: `{errors: "text"}`, Rails-style `{errors: {field: [messages]}}`, Doorkeeper's
 * `{error, error_description}` for the OAuth endpoints, or plain text for the hourly limit.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

export type ErrorBody = string | Record<string, unknown>;

export class ProcoreError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly body: ErrorBody;
  readonly headers: Record<string, string>;

  constructor(code: string, statusCode: number, body: ErrorBody, headers: Record<string, string> = {}) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
    this.name = 'ProcoreError';
    this.code = code;
    this.statusCode = statusCode;
    this.body = body;
    this.headers = headers;
  }
}

export type FieldErrors = Record<string, string[]>;

/** `{"errors": "text"}`, the most common Procore shape. */
function textError(code: string, statusCode: number, message: string) {
  return Object.assign(
    (headers: Record<string, string> = {}) => new ProcoreError(code, statusCode, { errors: message }, headers),
    {
      code,
      message,
    },
  );
}

/** `{"errors": {"field": ["message"]}}`, Rails validation errors. */
function fieldError(code: string, statusCode: number) {
  return Object.assign((errors: FieldErrors) => new ProcoreError(code, statusCode, { errors }), { code });
}

/** `{"errors": "<detail>"}` where the detail names what was wrong. */
function detailError(code: string, statusCode: number, prefix: string) {
  return Object.assign((detail: string) => new ProcoreError(code, statusCode, { errors: `${prefix}${detail}` }), {
    code,
  });
}

/** RFC 6749 / Doorkeeper `{"error", "error_description"}` for the OAuth endpoints. */
function oauthError(code: string, statusCode: number, error: string, description: string) {
  return Object.assign(() => new ProcoreError(code, statusCode, { error, error_description: description }), { code });
}

const HOURLY_LIMIT_TEXT =
  'You have surpassed the max number of requests for an hour. Please wait until your limit resets.';
const MISSING_COMPANY_TEXT =
  'Missing Procore-Company-Id header! Each call your application makes to the Procore API must contain a request header ' +
  'that includes the Procore-Company-Id field. This request header field specifies the id of the company into which you ' +
  'are making the call.';

export const procoreErrors = {
  // OAuth (login host)
  OAUTH_INVALID_CLIENT: oauthError(
    'PROCORE_OAUTH_INVALID_CLIENT',
    401,
    'invalid_client',
    'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
  ),
  OAUTH_UNSUPPORTED_GRANT: oauthError(
    'PROCORE_OAUTH_UNSUPPORTED_GRANT',
    400,
    'unsupported_grant_type',
    'The authorization grant type is not supported by the authorization server.',
  ),
  OAUTH_INVALID_REQUEST: oauthError(
    'PROCORE_OAUTH_INVALID_REQUEST',
    400,
    'invalid_request',
    'The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.',
  ),
  OAUTH_INVALID_TOKEN: oauthError('PROCORE_OAUTH_INVALID_TOKEN', 401, 'invalid_token', 'The access token is invalid'),

  // REST API
  TOKEN_INVALID: textError('PROCORE_TOKEN_INVALID', 401, 'The access token is invalid'),
  COMPANY_HEADER_MISSING: textError('PROCORE_COMPANY_HEADER_MISSING', 400, MISSING_COMPANY_TEXT),
  COMPANY_NOT_CONNECTED: textError('PROCORE_COMPANY_NOT_CONNECTED', 403, 'App is not connected to this company'),
  NOT_FOUND: textError('PROCORE_NOT_FOUND', 404, '404 Not Found'),
  PARAM_MISSING: detailError('PROCORE_PARAM_MISSING', 400, 'param is missing or the value is empty: '),
  BAD_PARAMETER: detailError('PROCORE_BAD_PARAMETER', 400, 'Invalid parameter: '),
  MALFORMED_JSON: detailError('PROCORE_MALFORMED_JSON', 400, 'The request body is not valid JSON: '),
  WRONG_TYPES: fieldError('PROCORE_WRONG_TYPES', 400),
  UNKNOWN_FIELDS: fieldError('PROCORE_UNKNOWN_FIELDS', 406),
  UNSUPPORTED_MEDIA_TYPE: detailError('PROCORE_UNSUPPORTED_MEDIA_TYPE', 406, 'Unsupported content type: '),
  BODY_TOO_LARGE: textError('PROCORE_BODY_TOO_LARGE', 413, 'Request Entity Too Large'),
  UNPROCESSABLE: fieldError('PROCORE_UNPROCESSABLE', 422),
  RATE_LIMITED: Object.assign(
    (headers: Record<string, string>) => new ProcoreError('PROCORE_RATE_LIMITED', 429, HOURLY_LIMIT_TEXT, headers),
    { code: 'PROCORE_RATE_LIMITED' },
  ),
  INTERNAL: textError('PROCORE_INTERNAL', 500, 'Internal Server Error'),
  UNAVAILABLE: textError('PROCORE_UNAVAILABLE', 503, 'Service Unavailable'),
} as const;

/** Translates Fastify's own errors (body parsing, limits) into Procore's shapes. */
function fromFastifyError(err: FastifyError): ProcoreError {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return procoreErrors.MALFORMED_JSON(err.message);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return procoreErrors.BODY_TOO_LARGE();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return procoreErrors.UNSUPPORTED_MEDIA_TYPE(err.message);
  }
  // Other 4xx from Fastify (bad content length, JSON syntax from custom parsers) are the client's fault too.
  if (err instanceof SyntaxError) return procoreErrors.MALFORMED_JSON(err.message);
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return procoreErrors.BAD_PARAMETER(err.message);
  return procoreErrors.INTERNAL();
}

export function sendProcoreError(reply: FastifyReply, error: ProcoreError): FastifyReply {
  reply.code(error.statusCode).headers(error.headers);
  if (typeof error.body === 'string') return reply.type('text/plain; charset=utf-8').send(error.body);
  return reply.send(error.body);
}

export function procoreErrorHandler(
  err: FastifyError | ProcoreError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const error = err instanceof ProcoreError ? err : fromFastifyError(err);
  if (error.statusCode >= 500 && !(err instanceof ProcoreError)) request.log.error({ err }, 'unexpected sandbox error');
  return sendProcoreError(reply, error);
}

export function procoreNotFoundHandler(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProcoreError(reply, procoreErrors.NOT_FOUND());
}
