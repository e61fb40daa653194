/** HTTP routes of runs and models. Parsing and answering only; the engine holds the rules. */
import { Router } from 'express';
import { z } from 'zod';
import { ASSERTION_KINDS } from '../assertions/index.js';
import { pageQuery } from '../cards/index.js';
import { identityOf, userCategoryOf } from '../auth/index.js';
import { AppError } from '../errors.js';
import {
  noBody,
  parseOrThrow,
  recordNothing,
  streamJsonList,
  type RecordChange,
} from '../http/index.js';
import type { ModelClient } from '../providers/index.js';
import type { CardStore } from '../cards/index.js';
import type { RunEngine } from './run-engine.js';
import type { RunComparer } from './compare/index.js';
import {
  afterSchema,
  encodeCursor,
  nextCursor,
  offsetSchema,
  queryDecimal,
  queryInteger,
} from '../util/index.js';
import { streamResults } from './results-export.js';
import { runRequestSchema } from './run-schema.js';
import type { RunResult } from './run-schema.js';
import type { RunStore } from './run-store.js';

export interface RunRoutesDeps {
  readonly engine: RunEngine;
  readonly runs: RunStore;
  readonly cards: CardStore;
  readonly models: ModelClient;
  readonly maxConcurrency: number;
  readonly defaultConcurrency: number;
  /** The audit trail: runs started, cancelled and resumed. */
  readonly record?: RecordChange;
  readonly comparer: RunComparer;
  readonly compareAlpha: number;
}

/** `limit` 1–500 (default 100), `after` (a `next` token) or a bounded `offset`. */
export const resultsQuerySchema = z.strictObject({
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
  after: afterSchema('results', ['string', 'string']),
});

/** A result's or a run's sort key, as its `next` token holds it. */
const createdKey = (item: { created_at: string; id: string }) => [item.created_at, item.id];

export function runRoutes(deps: RunRoutesDeps): Router {
  const router = Router();
  const requestSchema = runRequestSchema(deps.maxConcurrency, deps.defaultConcurrency);
  const record = deps.record ?? recordNothing;

  router.post('/prompt-cards/:id/runs', async (req, res) => {
    const request = parseOrThrow(requestSchema, req.body);
    const run = await deps.engine.create(req.params.id, request, userCategoryOf(identityOf(req)));
    await record(req, { action: 'run.started', targetId: run.id, after: run });
    res.status(202).location(`/api/runs/${run.id}`).json(run);
  });

  router.get('/prompt-cards/:id/runs', async (req, res) => {
    const page = parseOrThrow(pageQuery('runs'), req.query, 'query');
    if ((await deps.cards.getCard(req.params.id)) === undefined)
      throw new AppError('PCS_ERR_CARD_NOT_FOUND');
    const { items, total } = await deps.runs.listRunsForCard(req.params.id, page);
    const { limit, offset } = page;
    res.json({ items, total, limit, offset, next: nextCursor('runs', items, limit, createdKey) });
  });

  router.get('/runs/:id', async (req, res) => {
    const run = await deps.runs.getRun(req.params.id);
    if (run === undefined) throw new AppError('PCS_ERR_RUN_NOT_FOUND');
    res.json(run);
  });

  router.get('/runs/:id/results', async (req, res) => {
    const page = parseOrThrow(resultsQuerySchema, req.query, 'query');
    const run = await deps.runs.getRunRow(req.params.id);
    if (run === undefined) throw new AppError('PCS_ERR_RUN_NOT_FOUND');
    // Streamed item by item: a page of results with outputs of several MB each is larger than
    // the largest string V8 can build (README, "Results").
    const total = await deps.runs.countResults(run);
    const { limit, offset } = page;
    let count = 0;
    let last: RunResult | undefined;
    async function* counted() {
      for await (const result of deps.runs.iterateResults(req.params.id, page)) {
        count++;
        last = result;
        yield result;
      }
    }
    await streamJsonList(res, counted(), () => ({
      total,
      limit,
      offset,
      next:
        count < page.limit || last === undefined ? null : encodeCursor('results', createdKey(last)),
    }));
  });

  for (const format of ['jsonl', 'csv'] as const) {
    router.get(`/runs/:id/results.${format}`, async (req, res) => {
      if ((await deps.runs.getRunRow(req.params.id)) === undefined)
        throw new AppError('PCS_ERR_RUN_NOT_FOUND');
      await streamResults(deps.runs, req.params.id, format, res);
    });
  }

  const compareQuery = z.strictObject({
    alpha: queryDecimal(z.number().gt(0, 'must be above 0').lt(0.5, 'must be below 0.5')).default(
      deps.compareAlpha,
    ),
  });
  router.get('/runs/:id/compare/:baseline', async (req, res) => {
    const { alpha } = parseOrThrow(compareQuery, req.query, 'query');
    res.json(await deps.comparer.compare(req.params.id, req.params.baseline, alpha));
  });

  router.post('/runs/:id/cancel', async (req, res) => {
    parseOrThrow(noBody, req.body, 'body');
    const run = await deps.engine.cancel(req.params.id);
    await record(req, { action: 'run.cancelled', targetId: run.id, after: run });
    res.json(run);
  });

  router.post('/runs/:id/resume', async (req, res) => {
    parseOrThrow(noBody, req.body, 'body');
    const run = await deps.engine.resume(req.params.id);
    await record(req, { action: 'run.resumed', targetId: run.id, after: run });
    res.status(202).json(run);
  });

  router.get('/models', async (_req, res) => {
    res.json({ providers: await deps.models.listModels(AbortSignal.timeout(5000)) });
  });

  router.get('/assertion-types', (_req, res) => {
    res.json({
      items: [...ASSERTION_KINDS.values()].map((kind) => ({
        type: kind.type,
        description: kind.description,
        // A kind whose default is no limit (perplexity) lists none.
        default_threshold: Number.isFinite(kind.defaultThreshold) ? kind.defaultThreshold : null,
      })),
    });
  });

  return router;
}
