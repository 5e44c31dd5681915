/**
 * Tandem's configuration, from environment variables (and an optional `.env`), validated once at start.
 * `.env.example` lists every setting. Secrets stay in process memory: never in workflow or activity arguments.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { errors } from './errors';

const PORT_MESSAGE = 'must be a port number from 0 to 65535 (0 picks a free one)';
const port = z.coerce.number({ error: PORT_MESSAGE }).int(PORT_MESSAGE).min(0, PORT_MESSAGE).max(65535, PORT_MESSAGE);
const url = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
const positive = z.coerce.number().positive();

/**
 * The credentials the sandboxes accept out of the box (their own defaults, which sandbox/ keeps apart since it
 * imports nothing of Tandem): Tandem's defaults too, so `npm start` needs no settings. Refused against real systems
 * (secure-config.ts); tests and benchmarks take them from here.
 */
export const SANDBOX_DEFAULT_CREDENTIALS = {
  salesforce: { clientId: 'tandem-sandbox-client', clientSecret: 'tandem-sandbox-secret' },
  procore: { clientId: 'tandem-procore-client', clientSecret: 'tandem-procore-secret' },
  procoreWebhookSecret: 'tandem-webhook-secret-change-me',
} as const;

export const configSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_UI_URL: url.default('http://127.0.0.1:8233'),
  /** mTLS to a self-hosted cluster or Temporal Cloud: PEM files of the client certificate and its key. */
  TEMPORAL_TLS_CERT: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY: z.string().min(1).optional(),
  /** PEM file of the CA that signed the server's certificate, when it is not a public one. */
  TEMPORAL_TLS_CA: z.string().min(1).optional(),
  /** The name the server's certificate carries, when it differs from the host in TEMPORAL_ADDRESS. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** Temporal Cloud API key (sent as a bearer token over TLS). */
  TEMPORAL_API_KEY: z.string().min(1).optional(),

  SALESFORCE_LOGIN_URL: url.default('http://127.0.0.1:4001'),
  SALESFORCE_CLIENT_ID: z.string().min(1).default(SANDBOX_DEFAULT_CREDENTIALS.salesforce.clientId),
  SALESFORCE_CLIENT_SECRET: z.string().min(1).default(SANDBOX_DEFAULT_CREDENTIALS.salesforce.clientSecret),
  SALESFORCE_API_VERSION: z
    .string()
    .regex(/^\d{2}\.0$/, 'must look like 60.0')
    .default('60.0'),
  /** Sent as `Sforce-Call-Options: client=…`; CDC events carrying it are Tandem's own writes. */
  SALESFORCE_CLIENT_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('tandem'),
  /** Where the CDC subscriber starts the very first time: -1 new events only, -2 everything retained. */
  SALESFORCE_CDC_START: z.enum(['-1', '-2']).default('-2'),

  PROCORE_LOGIN_URL: url.default('http://127.0.0.1:4002'),
  PROCORE_API_URL: url.default('http://127.0.0.1:4002'),
  PROCORE_CLIENT_ID: z.string().min(1).default(SANDBOX_DEFAULT_CREDENTIALS.procore.clientId),
  PROCORE_CLIENT_SECRET: z.string().min(1).default(SANDBOX_DEFAULT_CREDENTIALS.procore.clientSecret),
  PROCORE_COMPANY_ID: z.coerce.number().int().positive().default(4264807),
  /** Procore sends `Authorization: Bearer <this secret>` with each webhook; registered with the hook. */
  PROCORE_WEBHOOK_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default(SANDBOX_DEFAULT_CREDENTIALS.procoreWebhookSecret),

  INGRESS_HOST: z.string().default('127.0.0.1'),
  INGRESS_PORT: port.default(3000),
  /** The URL Procore can reach the ingress at (registered as the hook's destination). */
  INGRESS_PUBLIC_URL: url.optional(),
  /** Serves the worker processes' /metrics when set (the ingress serves its own at /metrics). */
  METRICS_PORT: port.optional(),
  /** Where the workers' /metrics listens: loopback unless told otherwise (beyond it, TANDEM_API_TOKEN is required). */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Bearer token for the operator API, the operator page's calls and /metrics; required beyond loopback. */
  TANDEM_API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** How often the ingress checks that its Procore webhook is still registered (ms). */
  WEBHOOK_RECHECK_MS: z.coerce.number().int().min(1000).default(300_000),

  /** Activities per second across all workers, per external API (the server enforces it per task queue). */
  SALESFORCE_RATE_CAP: positive.default(20),
  PROCORE_RATE_CAP: positive.default(10),
  TANDEM_COALESCE_MS: z.coerce.number().int().min(0).max(60_000).default(200),
  /** A sync parked because a system was unavailable tries again after this (ms), doubling up to the maximum. */
  TANDEM_RETRY_FIRST_MS: z.coerce.number().int().min(1000).default(30_000),
  TANDEM_RETRY_MAX_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(15 * 60_000),
  /**
   * How long one system call keeps retrying before its sync parks (and heals by the back-off above): attempts, and
   * the cap on the delay between them (ms). Shorter budgets park sooner on an outage; they suit tests most.
   */
  TANDEM_ACTIVITY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(12),
  TANDEM_ACTIVITY_MAX_INTERVAL_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** A sync parked on a rejected value checks again this often (ms), in case it was fixed without an event. */
  TANDEM_RECHECK_REJECTED_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(60 * 60_000),
  /**
   * Workflows a sync worker keeps in memory (0: none); the rest replay their history when they next get work.
   * Bounds the worker's memory whatever the number of projects (bench/README.md has the figures).
   */
  TANDEM_WORKFLOW_CACHE: z.coerce.number().int().min(0).default(150),
  /** Old-space limit of the worker's workflow thread (MiB); by default sized from TANDEM_WORKFLOW_CACHE. */
  TANDEM_WORKFLOW_HEAP_MIB: z.coerce.number().int().min(32).optional(),
  /** How often the reconciliation sweeps Procore for changes whose webhook never arrived (ms). */
  TANDEM_RECONCILE_EVERY: z.coerce.number().int().min(1000).default(300_000),
  /** Whether a project a person creates in Procore gets its Salesforce record (`off`: such projects are left alone). */
  TANDEM_CREATE_IN_SALESFORCE: z.enum(['on', 'off']).default('on'),
  /**
   * Whether a Salesforce record with no Procore project gets one (`off`: it is synced only once linked, by its
   * `Procore_ID__c` or a backfill). Read by every process that starts ProjectSyncs.
   */
  TANDEM_CREATE_IN_PROCORE: z.enum(['on', 'off']).default('on'),
  /** A prebuilt workflow bundle for `tandem worker` to run (a deploy's build); unset: the installed code's bundle. */
  TANDEM_WORKFLOW_BUNDLE: z.string().min(1).optional(),
  /** The Temporal Worker Deployment every Tandem worker polls as (docs/deploying.md). */
  TANDEM_DEPLOYMENT_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'letters, digits, _ and - only')
    .default('tandem'),
  /** The worker's Build ID; unset: `<package.json version>-<hash of the workflow bundle>`. */
  TANDEM_BUILD_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,200}$/, 'letters, digits, ., _ and - only')
    .optional(),
  /**
   * Who makes a Deployment Version current. `if-none`: a worker makes its own version current only while the
   * deployment has none (a fresh install; every later rollout is the operator's `tandem deploy promote`).
   * `take-over`: the newest worker always becomes current and takes the older versions' workflows along (the
   * one-process `tandem start` only). `manual`: never.
   */
  TANDEM_CURRENT_VERSION: z.enum(['if-none', 'take-over', 'manual']).default('if-none'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The field mapping the sync worker serves and `tandem mapping` checks and applies; the shipped file if unset. */
  TANDEM_MAPPING_FILE: z.string().min(1).optional(),

  // `tandem start` only: the single-process shape with its own Temporal dev server.
  /** Where `tandem start` keeps the Temporal SQLite file and the sandboxes' data, so a restart finds everything. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** auto: run a sandbox for each system whose URLs are left at the sandbox default; on: always; off: never. */
  TANDEM_SANDBOXES: z.enum(['auto', 'on', 'off']).default('auto'),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  SALESFORCE_SANDBOX_PORT: port.default(4001),
  PROCORE_SANDBOX_PORT: port.default(4002),
  CONSOLE_PORT: port.default(4000),
});

export type TandemConfig = z.infer<typeof configSchema>;

/** Reads `.env` (if present) into process.env without overriding what is already set. */
export function loadDotEnv(file = path.resolve(process.cwd(), '.env')): void {
  if (!existsSync(file)) return;
  process.loadEnvFile(file);
}

/** Settings whose values never appear in a message or a log line. */
export const SECRET_SETTINGS = [
  'SALESFORCE_CLIENT_SECRET',
  'PROCORE_CLIENT_SECRET',
  'PROCORE_WEBHOOK_SECRET',
  'TANDEM_API_TOKEN',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS_KEY',
] as const;

function shown(name: string, value: string | undefined): string {
  if (value === undefined) return 'unset';
  if ((SECRET_SETTINGS as readonly string[]).includes(name)) return `a value of ${value.length} characters`;
  return `"${value}"`;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): TandemConfig {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const got = shown(name, env[name]);
    return `  ${name}: ${issue.message} (got ${got}); see .env.example`;
  });
  throw errors.CONFIG_INVALID(lines.join('\n'));
}
