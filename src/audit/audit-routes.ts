/**
 * `GET /api/audit` (admin; the access policy): the audit trail newest first, paginated
 * (`limit` 1–500, default 100; `after`, the previous page's `next`, or `offset` ≤ 10,000), filtered by `actor`, `action`, `target_id` and a time
 * range `since` ≤ at < `until` (ISO-8601). `signed` says whether new records are signed.
 */
import { Router } from 'express';
import { z } from 'zod';
import { parseOrThrow } from '../http/index.js';
import { afterSchema, nextCursor, offsetSchema, queryInteger } from '../util/index.js';
import type { AuditTrail } from './audit-trail.js';

const isoTime = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 time' });

export const auditQuerySchema = z.strictObject({
  limit: queryInteger(
    z
      .number()
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(500, 'must be at most 500'),
  )
    .default(100)
    .meta({ override: { default: 100 } }),
  offset: offsetSchema,
  after: afterSchema('audit', ['number']),
  actor: z.string().min(1).max(200).optional(),
  action: z.string().min(1).max(100).optional(),
  target_id: z.string().min(1).max(200).optional(),
  since: isoTime.transform((t) => new Date(t).toISOString()).optional(),
  until: isoTime.transform((t) => new Date(t).toISOString()).optional(),
});

export function auditRoutes(trail: AuditTrail): Router {
  const router = Router();
  router.get('/audit', async (req, res) => {
    const query = parseOrThrow(auditQuerySchema, req.query, 'query');
    const after = query.after?.[0];
    const page = await trail.list({
      ...query,
      after: typeof after === 'number' ? after : undefined,
    });
    res.json({
      ...page,
      limit: query.limit,
      offset: query.offset,
      next: nextCursor('audit', page.items, query.limit, (r) => [r.seq]),
      signed: trail.signed,
    });
  });
  return router;
}
