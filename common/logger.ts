/** Structured JSON logs (pino) with secrets redacted wherever they appear in a logged object. */
import pino, { type Logger } from 'pino';

export const REDACTED_PATHS = [
  '*.PROCORE_CLIENT_SECRET',
  '*.SALESFORCE_CLIENT_SECRET',
  '*.PROCORE_WEBHOOK_SECRET',
  '*.TANDEM_API_TOKEN',
  '*.clientSecret',
  '*.client_secret',
  '*.accessToken',
  '*.access_token',
  'req.headers.authorization',
  '*.authorization',
  '*.Authorization',
];

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}

export type { Logger };
