export { bearerMatches, bearerToken, secretsEqual } from '../util/index.js';
export {
  browserRefusal,
  hostAllowed,
  hostGuard,
  hostName,
  requireJsonWrites,
  type HostPolicy,
} from './browser-guards.js';
export { streamJsonList } from './stream-json.js';
export { routeMatcher, routeTable, type RouteEntry } from './route-table.js';
export { securityHeaders } from './security-headers.js';
export { answerClientErrors } from './client-error.js';
export { trackConnections, type GracefulClose } from './graceful-close.js';
export { errorHandler, requireJsonBody, routeNotFound } from './error-handler.js';
export { noBody, requireObjectBody } from './json-object-body.js';
export { checkRequestPath, pathProblem } from './request-path.js';
export { checkUntrustedInput, textProblem, untrustedInputProblems } from './untrusted-input.js';
export { parseOrThrow, withoutReadOnly, zodIssuesToFields } from './validate.js';
export { writeRateLimit, type WriteRateLimitOptions } from './write-rate-limit.js';
export { recordNothing, type Change, type RecordChange } from './record-change.js';
export {
  ACCESS_ERRORS,
  BODY_ERRORS,
  COMMON_ERRORS,
  WRITE_ERRORS,
  errorBodySchema,
  errorsByStatus,
  idParams,
  nextToken,
  pageSchema,
  timestamp,
  type HttpMethod,
  type ResponseDoc,
  type RouteDoc,
} from './route-doc.js';
export { createHttpServer, listen, ListenError, type HttpTimeouts } from './listen.js';
export { requireUtf8 } from './utf8-body.js';
