export { bearerMatches, bearerToken, secretsEqual } from './authorization.js';
export {
  browserRefusal,
  hostAllowed,
  hostGuard,
  hostName,
  requireJsonWrites,
  type HostPolicy,
} from './browser-guards.js';
export { errorHandler, requireJsonBody, routeNotFound } from './error-handler.js';
export { streamJsonList } from './stream-json.js';
export { routeTable, type RouteEntry } from './route-table.js';
export { securityHeaders } from './security-headers.js';
export { parseOrThrow, withoutReadOnly, zodIssuesToFields } from './validate.js';
export { writeRateLimit, type WriteRateLimitOptions } from './write-rate-limit.js';
export { recordNothing, type Change, type RecordChange } from './record-change.js';
