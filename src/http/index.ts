export { errorHandler, requireJsonBody, routeNotFound } from './error-handler.js';
export { parseOrThrow, withoutReadOnly, zodIssuesToFields } from './validate.js';
