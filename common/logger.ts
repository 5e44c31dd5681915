/** Structured JSON logs (pino) with secrets redacted wherever they appear in a logged object. */
import pino, { type Logger } from 'pino';

const SECRET_KEYS = [
  'PROCORE_CLIENT_SECRET',
  'SALESFORCE_CLIENT_SECRET',
  'PROCORE_WEBHOOK_SECRET',
  'TANDEM_API_TOKEN',
  'clientSecret',
  'client_secret',
  'accessToken',
  'access_token',
  'authorization',
  'Authorization',
];

/** Each secret key at the top of a log line and one level down (a logged config, headers, a token response). */
export const REDACTED_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  'req.headers.authorization',
  'destination_headers.Authorization',
  '*.destination_headers.Authorization',
];

/** `destination` defaults to stdout; `tandem start` sends logs to stderr so stdout keeps its human-readable summary. */
export function createLogger(
  name: string,
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
): Logger {
  return pino({ name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}

export type { Logger };
