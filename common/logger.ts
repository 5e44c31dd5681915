/** Structured JSON logs (pino) with secrets redacted wherever they appear in a logged object. */
import pino, { type Logger } from 'pino';

const SECRET_KEYS = [
  'PROCORE_CLIENT_SECRET',
  'SALESFORCE_CLIENT_SECRET',
  'PROCORE_WEBHOOK_SECRET',
  'TANDEM_API_TOKEN',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS_KEY',
  'apiKey',
  'password',
  'client_assertion',
  'refresh_token',
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
  ...['headers', 'req.headers', '*.headers', 'err.options.headers', '*.options.headers'].flatMap((at) => [
    `${at}.authorization`,
    `${at}.Authorization`,
    `${at}.cookie`,
  ]),
  'destination_headers.Authorization',
  '*.destination_headers.Authorization',
  '*.*.destination_headers.Authorization',
];

/**
 * Replaces each known secret value wherever it appears in a line (a message, an error text), as a last guard behind
 * the key-based redaction. Values shorter than 8 characters are left alone: they would match ordinary text.
 */
function scrubber(secrets: ReadonlyArray<string | undefined>): ((line: string) => string) | undefined {
  const needles = [...new Set(secrets.filter((s): s is string => Boolean(s && s.length >= 8)))].map((secret) =>
    JSON.stringify(secret).slice(1, -1),
  );
  if (needles.length === 0) return undefined;
  return (line) => needles.reduce((text, needle) => text.split(needle).join('[redacted]'), line);
}

/**
 * `destination` defaults to stdout; `tandem start` sends logs to stderr so stdout keeps its human-readable summary.
 * `secrets` are the configured secret values, never to be written whatever carries them.
 */
export function createLogger(
  name: string,
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
  secrets: ReadonlyArray<string | undefined> = [],
): Logger {
  const scrub = scrubber(secrets);
  return pino(
    {
      name,
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      ...(scrub ? { hooks: { streamWrite: scrub } } : {}),
    },
    destination,
  );
}

export type { Logger };
