/** Salesforce API errors (jsforce's errorCode) sorted into what retrying can fix and what it cannot. */
import { errors, TandemError } from '../../common/errors';

/** The record or the request is wrong: retrying the same write fails the same way. */
const REJECTIONS = new Set([
  'REQUIRED_FIELD_MISSING',
  'INVALID_FIELD',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'STRING_TOO_LONG',
  'DUPLICATE_VALUE',
  'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  'INVALID_TYPE_ON_FIELD_IN_RECORD',
  'JSON_PARSER_ERROR',
  'MALFORMED_QUERY',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'FIELD_INTEGRITY_EXCEPTION',
  'MULTIPLE_API_ERRORS',
  // A trigger or flow refused the save, the integration user may not edit the record, or an approval locked it:
  // retrying the same write within minutes fails the same way; a change, a resync or the periodic re-check may not.
  'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
  'ENTITY_IS_LOCKED',
]);

export const MISSING_RECORD = new Set(['NOT_FOUND', 'ENTITY_IS_DELETED']);

export function errorCodeOf(err: unknown): string {
  if (err && typeof err === 'object' && 'errorCode' in err && typeof err.errorCode === 'string') return err.errorCode;
  return err instanceof Error ? err.name : 'UNKNOWN';
}

export function classifySalesforceError(err: unknown, recordId: string): TandemError {
  if (err instanceof TandemError) return err;
  const code = errorCodeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  if (REJECTIONS.has(code)) return withField(errors.SALESFORCE_REJECTED(code, message), err);
  if (MISSING_RECORD.has(code)) return errors.SALESFORCE_RECORD_NOT_FOUND(recordId);
  // Rate limits, locks, 5xx, network: worth trying again later.
  return errors.SALESFORCE_UNAVAILABLE(`${code}: ${message}`);
}

/** Salesforce names the rejected field in the error body (`fields`), which jsforce keeps as `data`. */
function withField(rejected: TandemError, err: unknown): TandemError {
  const data: unknown = err && typeof err === 'object' && 'data' in err ? err.data : undefined;
  const fields: unknown = data && typeof data === 'object' && 'fields' in data ? data.fields : undefined;
  if (Array.isArray(fields) && typeof fields[0] === 'string') rejected.field = fields.join(', ');
  return rejected;
}
