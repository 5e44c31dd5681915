/**
 * Every error the Salesforce sandbox answers with, declared once with its HTTP status, error code and message.
 * REST errors go out in Salesforce's body shape, a JSON array `[{message, errorCode, fields}]`; the OAuth token
 * endpoint has its own `{error, error_description}` shape. Messages follow what a real org says; `%s`
 * placeholders are filled from the arguments in order.
 */

export interface SalesforceErrorBody {
  message: string;
  errorCode: string;
  fields?: string[];
}

export class SalesforceError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
    this.name = 'SalesforceError';
  }

  toBody(): SalesforceErrorBody[] {
    const body: SalesforceErrorBody = { message: this.message, errorCode: this.errorCode };
    if (this.fields) body.fields = this.fields;
    return [body];
  }
}

type FieldsOf = (args: string[]) => string[];

export interface SalesforceErrorFactory {
  (...args: Array<string | number>): SalesforceError;
  readonly errorCode: string;
  readonly statusCode: number;
}

function fill(template: string, args: ReadonlyArray<string | number>): string {
  let i = 0;
  return template.replace(/%s/g, () => String(args[i++] ?? ''));
}

function declare(statusCode: number, errorCode: string, message: string, fields?: FieldsOf): SalesforceErrorFactory {
  const make = (...args: Array<string | number>) =>
    new SalesforceError(statusCode, errorCode, fill(message, args), fields?.(args.map(String)));
  return Object.assign(make, { errorCode, statusCode });
}

const firstArg: FieldsOf = (args) => [args[0] ?? ''];
const none: FieldsOf = () => [];

export const sfErrors = {
  INVALID_SESSION_ID: declare(401, 'INVALID_SESSION_ID', 'Session expired or invalid'),
  NOT_FOUND: declare(404, 'NOT_FOUND', 'The requested resource does not exist'),
  EXTERNAL_ID_NOT_FOUND: declare(
    404,
    'NOT_FOUND',
    'Provided external ID field does not exist or is not accessible: %s',
  ),
  ENTITY_IS_DELETED: declare(404, 'ENTITY_IS_DELETED', 'entity is deleted', none),
  METHOD_NOT_ALLOWED: declare(405, 'METHOD_NOT_ALLOWED', "HTTP Method '%s' not allowed. Allowed are %s"),
  REQUEST_LIMIT_EXCEEDED: declare(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
  SERVER_UNAVAILABLE: declare(503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable. Please try again later.'),
  UNKNOWN_EXCEPTION: declare(
    500,
    'UNKNOWN_EXCEPTION',
    'An unexpected error occurred. Please include this ErrorId if you contact support: %s',
  ),
  REQUEST_ENTITY_TOO_LARGE: declare(413, 'REQUEST_ENTITY_TOO_LARGE', 'Request body exceeds the limit of %s bytes'),
  UNSUPPORTED_MEDIA_TYPE: declare(
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    "Content type '%s' is not supported for this resource",
  ),

  JSON_PARSER_ERROR: declare(400, 'JSON_PARSER_ERROR', '%s'),
  INVALID_FIELD: declare(400, 'INVALID_FIELD', "No such column '%s' on sobject of type %s"),
  INVALID_FIELD_FOR_INSERT_UPDATE: declare(
    400,
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    'Unable to create/update fields: %s. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
    firstArg,
  ),
  REQUIRED_FIELD_MISSING: declare(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [%s]', firstArg),
  STRING_TOO_LONG: declare(400, 'STRING_TOO_LONG', '%s: data value too large: %s (max length=%s)', (args) => [
    args[3] ?? '',
  ]),
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: declare(
    400,
    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    '%s: bad value for restricted picklist field: %s',
    (args) => [args[2] ?? ''],
  ),
  NUMBER_OUTSIDE_VALID_RANGE: declare(
    400,
    'NUMBER_OUTSIDE_VALID_RANGE',
    '%s: value outside of valid range on numeric field: %s',
    (args) => [args[2] ?? ''],
  ),
  DUPLICATE_VALUE: declare(
    400,
    'DUPLICATE_VALUE',
    'duplicate value found: %s duplicates value on record with id: %s',
    none,
  ),
  MALFORMED_QUERY: declare(400, 'MALFORMED_QUERY', '%s'),
  INVALID_QUERY_FIELD: declare(400, 'INVALID_FIELD', '%s'),
  INVALID_TYPE: declare(400, 'INVALID_TYPE', '%s'),
  INVALID_QUERY_FILTER_OPERATOR: declare(400, 'INVALID_QUERY_FILTER_OPERATOR', '%s'),
  INVALID_QUERY_LOCATOR: declare(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator'),
  UNDELETE_FAILED: declare(400, 'UNDELETE_FAILED', 'Entity is not in the recycle bin', none),
  PRECONDITION_FAILED: declare(412, 'PRECONDITION_FAILED', 'The requested resource has been modified since %s'),
  INVALID_CONDITIONAL_HEADER: declare(400, 'INVALID_HEADER_VALUE', 'Invalid %s header value: %s'),
  API_VERSION_RETIRED: declare(410, 'GONE', 'API version %s has been retired and is no longer available'),
  INVALID_REPLICATION_DATE: declare(400, 'INVALID_REPLICATION_DATE', '%s'),
  EXCEEDED_ID_LIMIT: declare(
    400,
    'EXCEEDED_ID_LIMIT',
    'Too many ids: more than %s records match; choose start and end dates closer together',
  ),
  MISSING_ARGUMENT: declare(400, 'MISSING_ARGUMENT', '%s not specified'),
} as const;

/** The OAuth token endpoint's errors: HTTP 400 with `{error, error_description}`; jsforce names its Error after `error`. */
export interface OAuthErrorBody {
  error: string;
  error_description: string;
}

export class OAuthError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }

  toBody(): OAuthErrorBody {
    return { error: this.error, error_description: this.description };
  }
}

export const oauthErrors = {
  UNSUPPORTED_GRANT_TYPE: () => new OAuthError('unsupported_grant_type', 'grant type not supported'),
  INVALID_CLIENT_ID: () => new OAuthError('invalid_client_id', 'client identifier invalid'),
  INVALID_CLIENT: () => new OAuthError('invalid_client', 'invalid client credentials'),
  INVALID_GRANT: () => new OAuthError('invalid_grant', 'authentication failure'),
  CONFLICTING_CLIENT_AUTH: () =>
    new OAuthError('invalid_request', 'client credentials given in both the header and the body'),
  MALFORMED_BASIC_AUTH: () => new OAuthError('invalid_client', 'invalid client credentials'),
} as const;
