export { errorHandler, requireJsonBody, routeNotFound } from './error-handler.js';
export { streamJsonList } from './stream-json.js';
export { parseOrThrow, withoutReadOnly, zodIssuesToFields } from './validate.js';
