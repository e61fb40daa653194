export { openApiDocument, openApiPath } from './openapi-document.js';
export { openApiRoutes } from './openapi-routes.js';
export { allRouteDocs, type RouteDocOptions } from './route-docs.js';
