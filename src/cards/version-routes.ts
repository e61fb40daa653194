/**
 * `GET /api/prompt-cards/:id/versions` (newest first) and
 * `GET /api/prompt-cards/:id/versions/:from/diff/:to` (a line diff from the old `from` to the
 * new `to`, bounded by DIFF_BUDGET, and the variables added and removed).
 */
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { parseOrThrow } from '../http/index.js';
import { afterSchema, nextCursor, queryInteger } from '../util/index.js';
import type { CardService } from './card-service.js';
import type { CardVersionStore } from './card-versions.js';
import { DIFF_BUDGET, lineDiff } from './line-diff.js';

const versionNumber = queryInteger(
  z.number().int('must be an integer').min(1, 'must be at least 1'),
  'must be a version number',
).meta({ param: { required: true } });
export const diffParams = z.object({ id: z.string(), from: versionNumber, to: versionNumber });

/** Newest first, `limit` 1–500 (default 100), `after` a `next` token (keyset on the version). */
export const versionListQuery = z.strictObject({
  limit: queryInteger(
    z
      .number()
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(500, 'must be at most 500'),
  )
    .default(100)
    .meta({ override: { default: 100 } }),
  after: afterSchema('versions', ['number']),
});

export function versionRoutes(cards: CardService, versions: CardVersionStore): Router {
  const router = Router();

  router.get('/prompt-cards/:id/versions', async (req, res) => {
    const query = parseOrThrow(versionListQuery, req.query, 'query');
    await cards.getCard(req.params.id);
    const before = query.after?.[0];
    const [items, total] = await Promise.all([
      versions.list(req.params.id, {
        limit: query.limit,
        ...(typeof before === 'number' ? { before } : {}),
      }),
      versions.count(req.params.id),
    ]);
    res.json({
      items,
      total,
      limit: query.limit,
      next: nextCursor('versions', items, query.limit, (v) => [v.version]),
    });
  });

  router.get('/prompt-cards/:id/versions/:from/diff/:to', async (req, res) => {
    const { id, from, to } = parseOrThrow(diffParams, req.params, 'params');
    await cards.getCard(id);
    const [a, b] = await Promise.all([versions.get(id, from), versions.get(id, to)]);
    if (a === undefined || b === undefined)
      throw new AppError('PCS_ERR_VALIDATION_FAILED', 'No such version of this card', [
        {
          field: a === undefined ? 'params.from' : 'params.to',
          message: 'is not a version of this card',
        },
      ]);
    const diff = lineDiff(a.prompt_template, b.prompt_template);
    res.json({
      from: a.version,
      to: b.version,
      lines: diff.lines,
      exact: diff.exact,
      max_edit_lines: DIFF_BUDGET.maxEditLines,
      deadline_ms: DIFF_BUDGET.deadlineMs,
      variables_added: b.variables.filter((v) => !a.variables.includes(v)),
      variables_removed: a.variables.filter((v) => !b.variables.includes(v)),
    });
  });

  return router;
}
