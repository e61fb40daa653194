// The generator (openapi-document.ts, with zod-openapi) is imported on first use: `openApiRoutes`
// takes a function that loads it.
export { loadOpenApiDocument, openApiRoutes } from './openapi-routes.js';
export { allRouteDocs, type RouteDocOptions } from './route-docs.js';
