/**
 * Every Tandem error, declared once with a code, a message and an HTTP status (the Fastify `lib/errors.js` way).
 * The code doubles as the Temporal failure type, so a parked sync or a failed activity names the same error
 * in logs, in the Temporal UI and in the operator API.
 *
 * Only @temporalio/common is imported here, so workflow code can use these too.
 */
import { ApplicationFailure } from '@temporalio/common';

export interface TandemErrorSpec {
  code: string;
  /** `%s` placeholders are filled from the arguments, in order. */
  message: string;
  statusCode: number;
  /** Whether trying the same thing again later can succeed. */
  retryable: boolean;
}

export class TandemError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly retryable: boolean;
  /** Milliseconds the failing system asked us to wait (Retry-After, rate-limit reset). */
  retryAfterMs?: number;
  /** The field the failing system named (a rejected value), so a parked sync can say which one. */
  field?: string;

  constructor(spec: TandemErrorSpec, args: ReadonlyArray<string | number>) {
    let i = 0;
    super(spec.message.replace(/%s/g, () => String(args[i++] ?? '')));
    this.name = 'TandemError';
    this.code = spec.code;
    this.statusCode = spec.statusCode;
    this.retryable = spec.retryable;
  }
}

export interface TandemErrorFactory {
  (...args: Array<string | number>): TandemError;
  readonly code: string;
  readonly statusCode: number;
}

function declare(code: string, message: string, statusCode: number, retryable = false): TandemErrorFactory {
  const spec: TandemErrorSpec = { code, message, statusCode, retryable };
  return Object.assign((...args: Array<string | number>) => new TandemError(spec, args), { code, statusCode });
}

export const errors = {
  CONFIG_INVALID: declare('TANDEM_CONFIG_INVALID', 'Invalid configuration:\n%s', 500),
  MAPPING_INVALID: declare('TANDEM_MAPPING_INVALID', 'Invalid mapping %s: %s', 500),
  UNKNOWN_LOOKUP_VALUE: declare('TANDEM_UNKNOWN_LOOKUP_VALUE', 'No %s entry for %s value %s of field %s', 422),
  INVALID_FIELD_VALUE: declare('TANDEM_INVALID_FIELD_VALUE', 'Field %s: %s is not a valid %s', 422),

  SALESFORCE_REJECTED: declare('TANDEM_SALESFORCE_REJECTED', 'Salesforce rejected the change (%s): %s', 422),
  SALESFORCE_UNAVAILABLE: declare('TANDEM_SALESFORCE_UNAVAILABLE', 'Salesforce is unavailable: %s', 503, true),
  SALESFORCE_AUTH_FAILED: declare('TANDEM_SALESFORCE_AUTH_FAILED', 'Salesforce login failed: %s', 401),
  SALESFORCE_RECORD_NOT_FOUND: declare(
    'TANDEM_SALESFORCE_RECORD_NOT_FOUND',
    'Salesforce record %s does not exist',
    404,
  ),

  SALESFORCE_RECORD_NOT_VISIBLE: declare(
    'TANDEM_SALESFORCE_RECORD_NOT_VISIBLE',
    'Salesforce answers NOT_FOUND for record %s, not ENTITY_IS_DELETED: the integration user may have lost access ' +
      'to it (or it was deleted for good); the Procore project is left as it is until the record can be read again',
    404,
  ),

  PROCORE_REJECTED: declare('TANDEM_PROCORE_REJECTED', 'Procore rejected the change (%s): %s', 422),
  PROCORE_RATE_LIMITED: declare('TANDEM_PROCORE_RATE_LIMITED', 'Procore rate limit reached; retry in %s ms', 429, true),
  PROCORE_UNAVAILABLE: declare('TANDEM_PROCORE_UNAVAILABLE', 'Procore is unavailable: %s', 503, true),
  PROCORE_AUTH_FAILED: declare('TANDEM_PROCORE_AUTH_FAILED', 'Procore login failed: %s', 401),
  PROCORE_PROJECT_NOT_FOUND: declare('TANDEM_PROCORE_PROJECT_NOT_FOUND', 'Procore project %s does not exist', 404),
  /** Procore stores a value it cannot read as null and still answers 2xx (its date-time docs): never taken as written. */
  PROCORE_VALUE_NOT_STORED: declare(
    'TANDEM_PROCORE_VALUE_NOT_STORED',
    'Procore stored null for %s although Tandem wrote %s; the value stays pending and Salesforce keeps it',
    422,
  ),

  WEBHOOK_UNAUTHORIZED: declare('TANDEM_WEBHOOK_UNAUTHORIZED', 'The webhook Authorization header does not match', 401),
  API_UNAUTHORIZED: declare('TANDEM_API_UNAUTHORIZED', 'A valid bearer token is required', 401),
  PROJECT_NOT_FOUND: declare('TANDEM_PROJECT_NOT_FOUND', 'No sync exists for Salesforce record %s', 404),
  SYNC_UNANSWERED: declare(
    'TANDEM_SYNC_UNANSWERED',
    'The sync of %s did not answer (are the sync workers running?): %s',
    503,
    true,
  ),
  TEMPORAL_UNAVAILABLE: declare('TANDEM_TEMPORAL_UNAVAILABLE', 'Temporal did not accept the event: %s', 503, true),
  /** A worker's Deployment Version never showed up on the server (Worker Versioning needs Temporal 1.29.1+). */
  DEPLOYMENT_VERSION_UNKNOWN: declare(
    'TANDEM_DEPLOYMENT_VERSION_UNKNOWN',
    'Temporal does not list the version %s: %s',
    503,
  ),

  INGRESS_UNREACHABLE: declare(
    'TANDEM_INGRESS_UNREACHABLE',
    'Cannot reach the operator API (%s): is the ingress running at %s? Set TANDEM_API_URL to its address',
    503,
    true,
  ),
  OPERATOR_API_FAILED: declare('TANDEM_OPERATOR_API_FAILED', 'The operator API answered %s: %s', 502),
  SANDBOX_UNREACHABLE: declare('TANDEM_SANDBOX_UNREACHABLE', 'The %s sandbox at %s did not answer: %s', 502, true),

  DATA_DIR_IN_USE: declare(
    'TANDEM_DATA_DIR_IN_USE',
    'The data folder %s is in use by another tandem start (pid %s): stop it, or set DATA_DIR to another folder',
    409,
  ),
  PORT_IN_USE: declare(
    'TANDEM_PORT_IN_USE',
    'Port %s on %s is already in use (%s): stop what holds it, or set %s to a free port',
    409,
  ),
} as const;

export type TandemErrorCode = (typeof errors)[keyof typeof errors]['code'];

/** Turns a TandemError into the Temporal failure an activity throws: permanent ones are not retried. */
export function toApplicationFailure(err: TandemError): ApplicationFailure {
  return ApplicationFailure.create({
    type: err.code,
    message: err.message,
    nonRetryable: !err.retryable,
    nextRetryDelay: err.retryAfterMs,
    details: err.field ? [{ field: err.field }] : undefined,
  });
}
