/**
 * Checks a response against the description of its route (src/http/route-doc.ts): the body of
 * a documented status must parse with that status's schema, an error body must carry one of the
 * catalog codes the route documents for its status, and an undocumented status fails. The
 * test client runs it on every response, so a route whose answers drift from the OpenAPI
 * document fails the tests that call it.
 */
import { parseConfig } from '../../src/config.js';
import type { ErrorCode } from '../../src/errors.js';
import {
  COMMON_ERRORS,
  errorBodySchema,
  errorsByStatus,
  type RouteDoc,
} from '../../src/http/route-doc.js';
import { allRouteDocs } from '../../src/openapi/index.js';

interface Matcher {
  readonly doc: RouteDoc;
  readonly pattern: RegExp;
}

let matchers: Matcher[] | undefined;

function routeMatchers(): Matcher[] {
  if (matchers !== undefined) return matchers;
  const config = parseConfig({});
  matchers = allRouteDocs({
    maxConcurrency: config.runs.maxConcurrency,
    defaultConcurrency: config.runs.defaultConcurrency,
  }).map((doc) => ({
    doc,
    pattern: new RegExp(
      `^${doc.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, '[^/]+')}/?$`,
    ),
  }));
  return matchers;
}

/** The description of `method path`, or undefined when no documented route matches. */
export function routeDocFor(method: string, path: string): RouteDoc | undefined {
  const bare = path.split('?')[0] ?? path;
  const candidates = routeMatchers().filter(
    (m) => m.doc.method === method.toLowerCase() && m.pattern.test(bare),
  );
  // A literal segment beats a parameter: /health/comprehensive before /health/:service.
  candidates.sort(
    (a, b) => (a.doc.path.match(/:/g)?.length ?? 0) - (b.doc.path.match(/:/g)?.length ?? 0),
  );
  return candidates[0]?.doc;
}

const NOT_ROUTED: readonly ErrorCode[] = [
  'PCS_ERR_HTTP_ROUTE_NOT_FOUND',
  'PCS_ERR_HTTP_BAD_CONTENT_ENCODING',
  'PCS_ERR_VALIDATION_FAILED',
  'PCS_ERR_HTTP_ORIGIN_NOT_ALLOWED',
  'PCS_ERR_HTTP_RATE_LIMITED',
  'PCS_ERR_AUTH_REQUIRED',
  'PCS_ERR_AUTH_INVALID',
  'PCS_ERR_AUTH_FORBIDDEN',
  'PCS_ERR_HTTP_MALFORMED_JSON',
  'PCS_ERR_HTTP_BODY_TOO_LARGE',
  'PCS_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE',
  ...COMMON_ERRORS,
];

/** Throws with the route, status and zod's issues when the response is not as documented. */
export function checkResponse(
  method: string,
  path: string,
  status: number,
  contentType: string | null,
  body: unknown,
): void {
  const where = `${method} ${path} → ${status}`;
  const doc = routeDocFor(method, path);
  const json = contentType?.includes('application/json') === true;
  if (doc === undefined) {
    if (status >= 400 && json) parseOrThrow(errorBodySchema(NOT_ROUTED), body, where);
    return;
  }
  const documented = doc.responses[status];
  if (documented !== undefined) {
    if (documented.schema !== undefined && json) parseOrThrow(documented.schema, body, where);
    return;
  }
  // Parsing happens before routing, so any route may answer what body parsing answers.
  const codes = [...(errorsByStatus(doc).get(status) ?? []), ...NOT_ROUTED];
  if (status < 400) throw new Error(`${where}: status not documented for ${doc.path}`);
  parseOrThrow(errorBodySchema(codes), body, `${where} (route ${doc.path})`);
}

function parseOrThrow(
  schema: { safeParse(value: unknown): { success: boolean; error?: { message: string } } },
  body: unknown,
  where: string,
): void {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new Error(
      `${where}: response does not match its documented schema: ${parsed.error?.message ?? ''}`,
    );
  }
}
