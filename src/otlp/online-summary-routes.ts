/**
 * `GET /prompt-cards/:id/online-evaluations/summary?bucket=hour|day&buckets=N`: a card's online
 * verdicts counted per bucket (200 `{bucket, since, until, trace_url_template, items}`; 404
 * unknown card; 422 a bad query field). `trace_url_template` is the configured link to a trace
 * UI (`{trace_id}`, `{span_id}`), null when none is set.
 */
import { Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { CardService } from '../cards/index.js';
import type { Database } from '../db/index.js';
import { parseOrThrow } from '../http/index.js';
import { summariseOnline } from './online-summary.js';
import { queryInteger } from '../util/index.js';

/** Default and largest bucket counts: two days of hours, a month of days; at most 90 days. */
const DEFAULT_BUCKETS = { hour: 48, day: 30 } as const;
const MAX_BUCKETS = { hour: 24 * 90, day: 90 } as const;

export const onlineSummaryQuery = z
  .strictObject({
    bucket: z.enum(['hour', 'day'], { error: 'must be hour or day' }).default('hour'),
    buckets: queryInteger(
      z.number().int('must be an integer').min(1, 'must be at least 1'),
    ).optional(),
  })
  .superRefine((query, ctx) => {
    const max = MAX_BUCKETS[query.bucket];
    if (query.buckets !== undefined && query.buckets > max)
      ctx.addIssue({
        code: 'custom',
        path: ['buckets'],
        message: `must be at most ${max} for bucket=${query.bucket}`,
      });
  });

export function onlineSummaryRoutes(deps: {
  readonly db: Kysely<Database>;
  readonly cards: CardService;
  readonly traceUrlTemplate: string | null;
  readonly now?: () => number;
}): Router {
  const router = Router();
  router.get('/prompt-cards/:id/online-evaluations/summary', async (req, res) => {
    const card = await deps.cards.getCard(req.params.id);
    const query = parseOrThrow(onlineSummaryQuery, req.query, 'query');
    const summary = await summariseOnline(deps.db, card.id, {
      bucket: query.bucket,
      buckets: query.buckets ?? DEFAULT_BUCKETS[query.bucket],
      nowMs: (deps.now ?? Date.now)(),
    });
    res.json({ bucket: query.bucket, trace_url_template: deps.traceUrlTemplate, ...summary });
  });
  return router;
}
