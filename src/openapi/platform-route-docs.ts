/**
 * Routes of the platform itself (metrics, the API description, the web UI), described like the
 * features' routes (src/http/route-doc.ts).
 */
import { z } from 'zod';
import type { RouteDoc } from '../http/index.js';

export const platformRouteDocs: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/api/metrics',
    operationId: 'getMetrics',
    tag: 'Platform',
    summary:
      'Prometheus text exposition, or OpenMetrics when Accept asks for application/openmetrics-text',
    responses: {
      200: { description: 'The metrics', contentType: 'text/plain; version=0.0.4' },
    },
    errors: ['PCS_ERR_METRICS_UNAUTHORIZED'],
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'getOpenApiDocument',
    tag: 'Platform',
    summary: 'This OpenAPI 3.1 document',
    public: true,
    responses: {
      200: {
        description: 'The document (a JSON object)',
        schema: z.looseObject({
          openapi: z.string(),
          info: z.looseObject({ title: z.string(), version: z.string() }),
          paths: z.record(z.string(), z.unknown()),
        }),
      },
    },
  },
  {
    method: 'get',
    path: '/api/docs',
    operationId: 'getApiReference',
    tag: 'Platform',
    summary: 'The API reference (Swagger UI, served from this service, no CDN)',
    public: true,
    responses: { 200: { description: 'An HTML page', contentType: 'text/html' } },
  },
  {
    method: 'get',
    path: '/api/docs/assets/:file',
    operationId: 'getApiReferenceAsset',
    tag: 'Platform',
    summary: "A file of the API reference page (Swagger UI's script and style)",
    public: true,
    params: z.strictObject({ file: z.string() }),
    responses: { 200: { description: 'The file', contentType: 'application/octet-stream' } },
    errors: ['PCS_ERR_HTTP_ROUTE_NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/',
    operationId: 'getWebUi',
    tag: 'Platform',
    summary: 'The web UI',
    public: true,
    responses: { 200: { description: 'An HTML page', contentType: 'text/html' } },
  },
  {
    method: 'get',
    path: '/index.html',
    operationId: 'getWebUiPage',
    tag: 'Platform',
    summary: 'The web UI (the same page as /)',
    public: true,
    responses: { 200: { description: 'An HTML page', contentType: 'text/html' } },
  },
  {
    method: 'get',
    path: '/assets/:file',
    operationId: 'getWebUiAsset',
    tag: 'Platform',
    summary: "A file of the web UI's build (hashed names, cached for a year)",
    public: true,
    params: z.strictObject({ file: z.string() }),
    responses: { 200: { description: 'The file', contentType: 'application/octet-stream' } },
    errors: ['PCS_ERR_HTTP_ROUTE_NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/favicon.ico',
    operationId: 'getFavicon',
    tag: 'Platform',
    summary: "The web UI's icon (SVG)",
    public: true,
    responses: { 200: { description: 'The icon', contentType: 'image/svg+xml' } },
  },
  {
    method: 'get',
    path: '/favicon.svg',
    operationId: 'getFaviconSvg',
    tag: 'Platform',
    summary: "The web UI's icon (the same as /favicon.ico)",
    public: true,
    responses: { 200: { description: 'The icon', contentType: 'image/svg+xml' } },
  },
  {
    method: 'get',
    path: '/docs/runbooks/:file',
    operationId: 'getRunbook',
    tag: 'Platform',
    summary: "An alert's runbook (Markdown), as its runbook_url names it",
    public: true,
    params: z.strictObject({ file: z.string() }),
    responses: { 200: { description: 'The runbook', contentType: 'text/markdown' } },
    errors: ['PCS_ERR_HTTP_ROUTE_NOT_FOUND'],
  },
];
