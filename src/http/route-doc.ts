/**
 * The description of one HTTP route: what it takes (path parameters, query, body) and what it
 * answers per status, as zod schemas. Each feature lists its routes beside its router
 * (`*-route-docs.ts`); `src/openapi` turns the lists into the OpenAPI document, and the tests
 * parse every response they receive with the schema of its route and status, so a response
 * that drifts from its description fails a test.
 */
import { z } from 'zod';
import { ERROR_CATALOG, type ErrorCode } from '../errors.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

export interface ResponseDoc {
  readonly description: string;
  /** JSON body; undefined for an empty body (204) or a non-JSON one (see `contentType`). */
  readonly schema?: z.ZodType;
  /** Non-JSON bodies, e.g. `text/plain` for the Prometheus exposition. */
  readonly contentType?: string;
}

export interface RouteDoc {
  readonly method: HttpMethod;
  /** Express path template, mount path included: `/api/prompt-cards/:id`. */
  readonly path: string;
  /** Unique name of the operation (the method name in generated clients). */
  readonly operationId: string;
  readonly summary: string;
  /** Group in the reference (one per feature). */
  readonly tag: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** Successful answers by status. */
  readonly responses: Readonly<Record<number, ResponseDoc>>;
  /** Catalog codes this route can answer with (their statuses become error responses). */
  readonly errors?: readonly ErrorCode[];
  /** True for routes a browser or probe calls without the API's credentials (health probes). */
  readonly public?: boolean;
}

/** Every error body: `{"error": {"code", "message", "fields"?}}` (docs/errors.md). */
export function errorBodySchema(codes: readonly ErrorCode[]) {
  const [first, ...rest] = codes;
  const code = first === undefined ? z.string() : z.enum([first, ...rest]);
  return z.strictObject({
    error: z.strictObject({
      code,
      message: z.string(),
      fields: z.array(z.strictObject({ field: z.string(), message: z.string() })).optional(),
    }),
  });
}

/** Errors any route can answer with, whatever it does. */
export const COMMON_ERRORS: readonly ErrorCode[] = [
  'PCS_ERR_HTTP_BAD_REQUEST',
  'PCS_ERR_HTTP_MALFORMED_URL',
  'PCS_ERR_HTTP_HEADERS_TOO_LARGE',
  'PCS_ERR_HTTP_REQUEST_TIMEOUT',
  'PCS_ERR_HTTP_HOST_NOT_ALLOWED',
  'PCS_ERR_DATABASE_UNAVAILABLE',
  'PCS_ERR_HTTP_SHUTTING_DOWN',
  'PCS_ERR_SERVER_INTERNAL',
];

/** Errors of /api routes that need credentials when AUTH_MODE is not `none`. */
export const ACCESS_ERRORS: readonly ErrorCode[] = [
  'PCS_ERR_AUTH_REQUIRED',
  'PCS_ERR_AUTH_INVALID',
  'PCS_ERR_AUTH_FORBIDDEN',
];

/** Errors of state-changing /api routes: browser guards and the write rate limit. */
export const WRITE_ERRORS: readonly ErrorCode[] = [
  'PCS_ERR_HTTP_ORIGIN_NOT_ALLOWED',
  'PCS_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE',
  'PCS_ERR_HTTP_RATE_LIMITED',
  'PCS_ERR_DATABASE_FULL',
];

/** Errors of routes that read a JSON body. */
export const BODY_ERRORS: readonly ErrorCode[] = [
  'PCS_ERR_HTTP_MALFORMED_JSON',
  'PCS_ERR_HTTP_BAD_CONTENT_ENCODING',
  'PCS_ERR_HTTP_BODY_TOO_LARGE',
  'PCS_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE',
  'PCS_ERR_VALIDATION_FAILED',
];

/** The catalog codes of a route grouped by HTTP status, common ones included. */
export function errorsByStatus(doc: RouteDoc): Map<number, ErrorCode[]> {
  const codes = new Set<ErrorCode>([
    ...(doc.errors ?? []),
    // A write without a documented body still parses one when sent (and refuses a bad one).
    ...(doc.body === undefined && doc.method === 'get' ? [] : BODY_ERRORS),
    ...(doc.query === undefined ? [] : (['PCS_ERR_VALIDATION_FAILED'] as const)),
    ...(doc.public === true || !doc.path.startsWith('/api/') ? [] : ACCESS_ERRORS),
    ...(doc.method === 'get' ? [] : WRITE_ERRORS),
    ...COMMON_ERRORS,
  ]);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_CATALOG[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return byStatus;
}

/** `next`: the token for the page after this one (send it back as `after`), null at the end. */
export const nextToken = z.string().nullable().meta({
  description:
    'Send as `after` to read the next page (keyset: as fast at the end of the list as at its start); null when this page is the last',
});

/** `{ items, total, limit, offset, next }`: one page of a list. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.strictObject({
    items: z.array(item),
    total: z.number().int().nonnegative(),
    limit: z.number().int().positive(),
    offset: z.number().int().nonnegative(),
    next: nextToken,
  });
}

/** `{id}` path parameter. */
export const idParams = z.strictObject({ id: z.string().meta({ description: 'The id' }) });

/** An ISO 8601 timestamp as the API writes it. */
export const timestamp = z.string().meta({ format: 'date-time' });
