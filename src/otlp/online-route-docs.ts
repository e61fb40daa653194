/** What the OTLP receiver and the online evaluation routes take and answer. */
import { z } from 'zod';
import { pageSchema, type RouteDoc } from '../http/index.js';
import {
  onlineEvaluationPageQuery,
  onlineEvaluationSchema,
  onlineRuleInputSchema,
  onlineRuleSchema,
} from './online-rule-schema.js';

const tag = 'Online evaluation';
const cardParams = z.strictObject({ id: z.string() });

export const onlineRouteDocs: readonly RouteDoc[] = [
  {
    method: 'post',
    path: '/api/v1/traces',
    operationId: 'exportTraces',
    tag,
    summary:
      'OTLP/HTTP trace export (application/x-protobuf or OTLP/JSON, gzip allowed); ingest role',
    body: z
      .looseObject({ resourceSpans: z.array(z.looseObject({})).optional() })
      .meta({ id: 'ExportTraceServiceRequest' }),
    responses: {
      200: {
        description:
          'ExportTraceServiceResponse in the request’s encoding; partialSuccess counts rejected spans',
        schema: z
          .strictObject({
            partialSuccess: z
              .strictObject({ rejectedSpans: z.string(), errorMessage: z.string() })
              .optional(),
          })
          .meta({ id: 'ExportTraceServiceResponse' }),
      },
    },
    errors: [
      'PCS_ERR_OTLP_MALFORMED',
      'PCS_ERR_OTLP_TOO_LARGE',
      'PCS_ERR_OTLP_UNSUPPORTED_MEDIA_TYPE',
      'PCS_ERR_OTLP_BACKLOG_FULL',
      'PCS_ERR_OTLP_UNAVAILABLE',
    ],
  },
  {
    method: 'post',
    path: '/api/prompt-cards/:id/online-rules',
    operationId: 'createOnlineRule',
    tag,
    summary: 'Add an online evaluation rule to a card; editor',
    params: cardParams,
    body: onlineRuleInputSchema.meta({ id: 'OnlineEvaluationRuleInput' }),
    responses: { 201: { description: 'The rule', schema: onlineRuleSchema } },
    errors: ['PCS_ERR_CARD_NOT_FOUND', 'PCS_ERR_VALIDATION_FAILED'],
  },
  {
    method: 'get',
    path: '/api/prompt-cards/:id/online-rules',
    operationId: 'listOnlineRules',
    tag,
    summary: 'A card’s online evaluation rules, oldest first',
    params: cardParams,
    responses: {
      200: {
        description: 'The rules',
        schema: z.strictObject({ items: z.array(onlineRuleSchema) }),
      },
    },
    errors: ['PCS_ERR_CARD_NOT_FOUND'],
  },
  {
    method: 'delete',
    path: '/api/prompt-cards/:id/online-rules/:ruleId',
    operationId: 'deleteOnlineRule',
    tag,
    summary: 'Remove an online evaluation rule and its evaluations; editor',
    params: z.strictObject({ id: z.string(), ruleId: z.string() }),
    responses: { 204: { description: 'Removed' } },
    errors: ['PCS_ERR_CARD_NOT_FOUND', 'PCS_ERR_ONLINE_RULE_NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/prompt-cards/:id/online-evaluations',
    operationId: 'listOnlineEvaluations',
    tag,
    summary: 'A card’s online evaluations (pending and judged), newest span first',
    params: cardParams,
    query: onlineEvaluationPageQuery,
    responses: {
      200: { description: 'One page', schema: pageSchema(onlineEvaluationSchema) },
    },
    errors: ['PCS_ERR_CARD_NOT_FOUND'],
  },
];
