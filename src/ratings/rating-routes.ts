/**
 * HTTP routes of ratings: a person's thumb and comment on a result, and how often the judge
 * agrees with people. Writes need the editor role (src/auth/access-policy.ts, the method
 * default) and are audited as `result.rated` and `result.rating_removed`.
 */
import { Router } from 'express';
import { identityOf } from '../auth/index.js';
import type { CardStore } from '../cards/index.js';
import { AppError } from '../errors.js';
import { parseOrThrow, recordNothing, type RecordChange } from '../http/index.js';
import type { RunStore } from '../runs/index.js';
import { ratingRequestSchema } from './rating-schema.js';
import type { RatingStore } from './rating-store.js';

export interface RatingRoutesDeps {
  readonly ratings: RatingStore;
  readonly runs: RunStore;
  readonly cards: CardStore;
  readonly record?: RecordChange;
}

export function ratingRoutes(deps: RatingRoutesDeps): Router {
  const router = Router();
  const record = deps.record ?? recordNothing;

  router.put('/results/:id/rating', async (req, res) => {
    const input = parseOrThrow(ratingRequestSchema, req.body);
    const identity = identityOf(req);
    const written = await deps.ratings.put(
      req.params.id,
      input,
      identity.authenticated ? identity.subject : null,
    );
    if (written === undefined) throw new AppError('PCS_ERR_RESULT_NOT_FOUND');
    await record(req, {
      action: 'result.rated',
      targetId: req.params.id,
      before: written.before,
      after: written.rating,
    });
    res.json(written.rating);
  });

  router.get('/results/:id/rating', async (req, res) => {
    const rating = await deps.ratings.get(req.params.id);
    if (rating === undefined) throw new AppError('PCS_ERR_RATING_NOT_FOUND');
    res.json(rating);
  });

  router.delete('/results/:id/rating', async (req, res) => {
    const removed = await deps.ratings.remove(req.params.id);
    if (removed === undefined) throw new AppError('PCS_ERR_RATING_NOT_FOUND');
    await record(req, {
      action: 'result.rating_removed',
      targetId: req.params.id,
      before: removed,
    });
    res.status(204).end();
  });

  router.get('/runs/:id/ratings', async (req, res) => {
    if ((await deps.runs.getRunRow(req.params.id)) === undefined)
      throw new AppError('PCS_ERR_RUN_NOT_FOUND');
    res.json({ items: await deps.ratings.listForRun(req.params.id) });
  });

  router.get('/prompt-cards/:id/agreement', async (req, res) => {
    if ((await deps.cards.getCard(req.params.id)) === undefined)
      throw new AppError('PCS_ERR_CARD_NOT_FOUND');
    res.json({ items: await deps.ratings.agreement(req.params.id) });
  });

  return router;
}
