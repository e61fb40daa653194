/**
 * The catalog of every error the API can answer with. Each code is `PCS_ERR_<AREA>_<WHAT>`
 * with one HTTP status; `docs/errors.md` documents each one and a unit test keeps the two in sync.
 * Every error body has the shape `{"error": {"code", "message", "fields"?}}`.
 */
export const ERROR_CATALOG = {
  PCS_ERR_HTTP_MALFORMED_JSON: { status: 400, message: 'The request body is not valid JSON' },
  PCS_ERR_HTTP_BAD_REQUEST: { status: 400, message: 'The request is not valid HTTP/1.1' },
  PCS_ERR_HTTP_MALFORMED_URL: {
    status: 400,
    message: 'The request path is not valid percent-encoded UTF-8',
  },
  PCS_ERR_HTTP_BAD_CONTENT_ENCODING: {
    status: 400,
    message: 'The request body does not decode as its Content-Encoding says',
  },
  PCS_ERR_HTTP_ROUTE_NOT_FOUND: { status: 404, message: 'No such route' },
  PCS_ERR_HTTP_BODY_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  PCS_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'The request body must be application/json',
  },
  PCS_ERR_HTTP_HEADERS_TOO_LARGE: {
    status: 431,
    message: 'The request headers are too large',
  },
  PCS_ERR_HTTP_SHUTTING_DOWN: { status: 503, message: 'The server is shutting down' },
  PCS_ERR_HTTP_HOST_NOT_ALLOWED: {
    status: 400,
    message: 'The Host header names a host this service does not answer to',
  },
  PCS_ERR_HTTP_ORIGIN_NOT_ALLOWED: {
    status: 403,
    message: 'Cross-origin requests may not change state',
  },
  PCS_ERR_HTTP_RATE_LIMITED: {
    status: 429,
    message: 'Too many write requests; retry after the time in Retry-After',
  },
  PCS_ERR_AUTH_REQUIRED: {
    status: 401,
    message: 'Authentication is required: send Authorization: Bearer <API key>',
  },
  PCS_ERR_AUTH_INVALID: {
    status: 401,
    message: 'The credentials are not valid (malformed, unknown or revoked)',
  },
  PCS_ERR_AUTH_FORBIDDEN: { status: 403, message: 'Your role does not allow this request' },
  PCS_ERR_API_KEY_NOT_FOUND: { status: 404, message: 'No API key with this id' },
  PCS_ERR_ALERT_BAD_PAYLOAD: { status: 400, message: 'Not an Alertmanager webhook payload' },
  PCS_ERR_ALERT_UNAUTHORIZED: {
    status: 401,
    message: 'A valid bearer token is required for the alert webhook',
  },
  PCS_ERR_HEALTH_CHECK_UNKNOWN: { status: 404, message: 'No health check with this name' },
  PCS_ERR_METRICS_UNAUTHORIZED: {
    status: 401,
    message: 'A valid bearer token is required for /api/metrics',
  },
  PCS_ERR_OTLP_MALFORMED: {
    status: 400,
    message: 'The body is not an OTLP trace export, or a span breaks an attribute limit',
  },
  PCS_ERR_OTLP_TOO_LARGE: { status: 413, message: 'The OTLP export is larger than allowed' },
  PCS_ERR_OTLP_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'OTLP exports must be application/x-protobuf or application/json',
  },
  PCS_ERR_OTLP_BACKLOG_FULL: {
    status: 429,
    message: 'The online evaluation backlog is full; retry after the time in Retry-After',
  },
  PCS_ERR_OTLP_UNAVAILABLE: {
    status: 503,
    message: 'The export could not be stored now; retry after the time in Retry-After',
  },
  PCS_ERR_ONLINE_RULE_NOT_FOUND: {
    status: 404,
    message: 'The prompt card has no online evaluation rule with this id',
  },
  PCS_ERR_VALIDATION_FAILED: { status: 422, message: 'The request is invalid' },
  PCS_ERR_CARD_NOT_FOUND: { status: 404, message: 'No prompt card with this id' },
  PCS_ERR_CARD_HAS_ACTIVE_RUN: {
    status: 409,
    message: 'The prompt card has a queued or running run; cancel it first',
  },
  PCS_ERR_CARD_TEMPLATE_BREAKS_TEST_CASES: {
    status: 409,
    message: 'The new template needs variables that existing test cases do not provide',
  },
  PCS_ERR_TEST_CASE_NOT_FOUND: { status: 404, message: 'No test case with this id' },
  PCS_ERR_TEST_CASE_MISSING_VARIABLES: {
    status: 422,
    message: 'The test case does not give every variable of the template',
  },
  PCS_ERR_RUN_NOT_FOUND: { status: 404, message: 'No run with this id' },
  PCS_ERR_RESULT_NOT_FOUND: { status: 404, message: 'No run result with this id' },
  PCS_ERR_RATING_NOT_FOUND: { status: 404, message: 'The result has no rating' },
  PCS_ERR_RUN_NO_TEST_CASES: { status: 409, message: 'The prompt card has no test cases to run' },
  PCS_ERR_RUN_NOT_CANCELLABLE: { status: 409, message: 'The run has already finished' },
  PCS_ERR_RUN_NOT_RESUMABLE: {
    status: 409,
    message: 'Only an interrupted or cancelled run can be resumed',
  },
  PCS_ERR_PROVIDER_UNKNOWN: { status: 422, message: 'Unknown model provider' },
  PCS_ERR_MODEL_UNKNOWN: { status: 422, message: 'The provider does not list this model' },
  PCS_ERR_ANALYTICS_DISABLED: {
    status: 404,
    message: 'Analytics are off; set ENABLE_ADVANCED_ANALYTICS=true',
  },
  PCS_ERR_ANALYTICS_SERIES_NOT_FOUND: {
    status: 404,
    message: 'No analytics series with this name',
  },
  PCS_ERR_ANALYTICS_SOURCE_UNAVAILABLE: {
    status: 502,
    message: 'The series source (Prometheus) did not answer',
  },
  PCS_ERR_DATABASE_UNAVAILABLE: {
    status: 503,
    message: 'The database is unavailable; retry later',
  },
  PCS_ERR_SERVER_INTERNAL: { status: 500, message: 'Internal error' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/** One offending input field: its dotted path and what is wrong with it. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** An error meant for the API caller: a catalog code, a message and optionally the bad fields. */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CATALOG[code].message,
    readonly fields?: readonly FieldProblem[],
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_CATALOG[code].status;
  }

  /** The JSON body sent to the caller. */
  toBody(): { error: { code: ErrorCode; message: string; fields?: readonly FieldProblem[] } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.fields === undefined ? {} : { fields: this.fields }),
      },
    };
  }
}

export function validationError(fields: readonly FieldProblem[]): AppError {
  const names = fields.map((f) => f.field).join(', ');
  return new AppError('PCS_ERR_VALIDATION_FAILED', `Invalid fields: ${names}`, fields);
}
