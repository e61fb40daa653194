/**
 * `POST /api/prompt-cards/:id/test-cases/import`: the body is a JSON array
 * (`application/json`), JSONL (`application/x-ndjson` or `application/jsonl`) or CSV
 * (`text/csv`), up to IMPORT_BODY_LIMIT_BYTES and 100,000 rows. This router reads its own body
 * as text, so it is mounted before the API's JSON parser.
 */
import express, { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { parseOrThrow } from '../http/index.js';
import type { CardService } from './card-service.js';
import type { ImportFormat } from './test-case-import.js';

const TYPES: readonly [string, ImportFormat][] = [
  ['application/json', 'json'],
  ['application/x-ndjson', 'jsonl'],
  ['application/jsonl', 'jsonl'],
  ['text/csv', 'csv'],
];

/**
 * `mode=append` (default) adds the rows; `mode=sync` makes the card's test cases exactly the
 * rows, matched by name (updated, created, and those not named deleted) in one transaction:
 * pushing the same suite twice changes nothing.
 */
export const importQuery = z.strictObject({ mode: z.enum(['append', 'sync']).default('append') });

export function importRoutes(service: CardService, limitBytes: number): Router {
  const router = Router();
  router.post(
    '/prompt-cards/:id/test-cases/import',
    (req, _res, next) => {
      if (TYPES.some(([type]) => req.is(type) !== false)) next();
      else
        next(
          new AppError(
            'PCS_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE',
            'Send application/json, application/x-ndjson or text/csv',
          ),
        );
    },
    express.text({ type: TYPES.map(([type]) => type), limit: limitBytes }),
    async (req, res) => {
      const format = TYPES.find(([type]) => req.is(type) !== false)?.[1] ?? 'json';
      const text = typeof req.body === 'string' ? req.body : '';
      const { mode } = parseOrThrow(importQuery, req.query, 'query');
      if (mode === 'sync') {
        res.json(await service.syncTestCases(req.params.id, format, text));
        return;
      }
      const imported = await service.importTestCases(req.params.id, format, text);
      res.status(201).json({ imported });
    },
  );
  return router;
}
