/** What the online verdict summary route takes and answers. */
import { z } from 'zod';
import type { RouteDoc } from '../http/index.js';
import { timestamp } from '../http/index.js';
import { onlineSummaryQuery } from './online-summary-routes.js';

const count = z.number().int().min(0);

const summarySchema = z
  .strictObject({
    bucket: z.enum(['hour', 'day']),
    since: timestamp,
    until: timestamp,
    trace_url_template: z
      .string()
      .nullable()
      .describe('TRACE_URL_TEMPLATE: a trace UI link with {trace_id} and {span_id}; null: none'),
    items: z.array(
      z.strictObject({
        start: timestamp,
        total: count,
        pending: count,
        passed: count,
        failed: count,
        not_judged: count,
        errors: count,
        pass_ratio: z.number().min(0).max(1).nullable(),
      }),
    ),
  })
  .meta({ id: 'OnlineEvaluationSummary' });

export const onlineSummaryRouteDocs: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/api/prompt-cards/:id/online-evaluations/summary',
    operationId: 'summariseOnlineEvaluations',
    tag: 'Online evaluation',
    summary:
      'A card’s online verdicts counted per hour or day of span end (default 48 hours or 30 days, oldest first, empty buckets included)',
    params: z.strictObject({ id: z.string() }),
    query: onlineSummaryQuery,
    responses: { 200: { description: 'The buckets', schema: summarySchema } },
    errors: ['PCS_ERR_CARD_NOT_FOUND', 'PCS_ERR_VALIDATION_FAILED'],
  },
];
