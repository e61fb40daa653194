/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the route descriptions
 * (src/http/route-doc.ts) by zod-openapi, which renders zod 4 schemas through zod's own JSON
 * Schema conversion (request bodies as their input shape, responses as their output shape).
 * Every error status a route can answer is documented with the catalog codes it carries.
 * Served at GET /api/openapi.json and committed as docs/openapi.json (`npm run
 * generate:openapi`; CI fails when the committed file differs).
 */
import { z } from 'zod';
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { ERROR_CATALOG, type ErrorCode } from '../errors.js';
import { errorBodySchema, errorsByStatus, type RouteDoc } from '../http/index.js';
import { webSocketDescription } from './websocket-doc.js';

export interface DocumentInfo {
  readonly version: string;
}

/** `/api/prompt-cards/:id` → `/api/prompt-cards/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body too large',
  415: 'Unsupported media type',
  422: 'Validation failed',
  429: 'Too many requests',
  500: 'Internal error',
  502: 'Bad gateway',
  503: 'Unavailable',
};

/** One error body for every error answer; each answer's description names its codes. */
const errorSchema = errorBodySchema(Object.keys(ERROR_CATALOG) as ErrorCode[]).meta({
  id: 'Error',
});

const TAGS: Record<string, string> = {
  'Prompt cards': 'Prompt templates with {{variables}}, and their test cases',
  Runs: 'Test cases × models: progress, results, summaries',
  Ratings: "People's ratings of results, and how often the assertions agree with them",
  Models: 'Configured providers and their models; assertion kinds',
  Alerts: "Alertmanager's webhook and the alert history",
  Analytics: 'Sampled series, forecasts, anomalies, capacity plans',
  'Online evaluation': 'OTLP trace receiver, a card’s online rules and their verdicts',
  Health: 'Kubernetes probes and health checks',
  Platform: 'Metrics, this description, the web UI',
  Access: 'API keys and the audit trail (admin)',
};

function operation(doc: RouteDoc): ZodOpenApiOperationObject {
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, response] of Object.entries(doc.responses)) {
    const contentType = response.contentType ?? 'application/json';
    responses[status] = {
      description: response.description,
      ...(response.schema === undefined && response.contentType === undefined
        ? {}
        : {
            content: {
              [contentType]: { schema: response.schema ?? z.string() },
            },
          }),
    };
  }
  for (const [status, codes] of [...errorsByStatus(doc)].sort(([a], [b]) => a - b)) {
    if (responses[String(status)] !== undefined) continue;
    responses[String(status)] = {
      description: `${STATUS_TEXT[status] ?? 'Error'}: ${codes.map((c) => `\`${c}\``).join(', ')}`,
      content: { 'application/json': { schema: errorSchema } },
    };
  }
  return {
    operationId: doc.operationId,
    summary: doc.summary,
    tags: [doc.tag],
    ...(doc.params === undefined && doc.query === undefined
      ? {}
      : {
          requestParams: {
            ...(doc.params === undefined ? {} : { path: doc.params }),
            ...(doc.query === undefined ? {} : { query: doc.query }),
          },
        }),
    ...(doc.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: doc.body } },
          },
        }),
    ...(doc.public === true || !doc.path.startsWith('/api/') ? { security: [{}] } : {}),
    ...(doc.operationId === 'getMetrics'
      ? { security: [{}, { metricsToken: [] }, { apiKey: [] }] }
      : {}),
    ...(doc.operationId === 'receiveAlertmanagerWebhook'
      ? { security: [{}, { alertWebhookToken: [] }, { apiKey: [] }] }
      : {}),
    responses: responses,
  };
}

/** Builds the document; paths sorted, so the output is stable. */
export function openApiDocument(docs: readonly RouteDoc[], info: DocumentInfo) {
  const paths: ZodOpenApiPathsObject = {};
  for (const doc of [...docs].sort((a, b) => a.path.localeCompare(b.path))) {
    const path = openApiPath(doc.path);
    paths[path] = { ...paths[path], [doc.method]: operation(doc) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Prompt Card System API',
      version: info.version,
      description:
        'Prompt cards, test cases and runs against models, with their monitoring. Every error body is `{"error": {"code", "message", "fields"?}}`; the codes are listed in docs/errors.md.\n\n' +
        webSocketDescription,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/', description: 'This service' }],
    tags: [...new Set(docs.map((d) => d.tag))].map((name) => ({
      name,
      ...(TAGS[name] === undefined ? {} : { description: TAGS[name] }),
    })),
    // AUTH_MODE=none needs no credentials; api-key mode a key of the route's role (an
    // authenticating proxy's headers in proxy mode are not the client's to send).
    security: [{}, { apiKey: [] }],
    paths,
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API key (AUTH_MODE=api-key): viewer reads, editor also writes, admin also manages keys and reads the audit trail; `npm run keys -- create --name <n> --role <role>`',
        },
        metricsToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'METRICS_TOKEN, when it is set',
        },
        alertWebhookToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'ALERT_WEBHOOK_TOKEN, when it is set',
        },
      },
    },
  });
}
