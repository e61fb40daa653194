export { bearerMatches, bearerToken, secretsEqual } from './authorization.js';
export { errorHandler, requireJsonBody, routeNotFound } from './error-handler.js';
export { routeTable, type RouteEntry } from './route-table.js';
export { parseOrThrow, withoutReadOnly, zodIssuesToFields } from './validate.js';
