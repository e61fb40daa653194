/**
 * `POST /api/prompt-cards/:id/test-cases/import`: the body is a JSON array
 * (`application/json`), JSONL (`application/x-ndjson` or `application/jsonl`) or CSV
 * (`text/csv`), up to IMPORT_BODY_LIMIT_BYTES and 100,000 rows. This router reads its own body
 * as text, so it is mounted before the API's JSON parser.
 */
import express, { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { parseOrThrow, recordNothing, requireUtf8, type RecordChange } from '../http/index.js';
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

/**
 * The audit trail gets one `test_case.imported` (append) or `test_case.synced` (sync) record
 * per request, targeting the card, whose digest covers the ids created and updated; and, for
 * sync, one `test_case.deleted` record per test case removed, as a single delete writes.
 */
export function importRoutes(
  service: CardService,
  limitBytes: number,
  record: RecordChange = recordNothing,
): Router {
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
    express.text({ type: TYPES.map(([type]) => type), limit: limitBytes, verify: requireUtf8 }),
    async (req, res) => {
      const format = TYPES.find(([type]) => req.is(type) !== false)?.[1] ?? 'json';
      const text = typeof req.body === 'string' ? req.body : '';
      const { mode } = parseOrThrow(importQuery, req.query, 'query');
      const cardId = req.params.id;
      if (mode === 'sync') {
        const outcome = await service.syncTestCases(cardId, format, text);
        for (const before of outcome.deleted)
          await record(req, { action: 'test_case.deleted', targetId: before.id, before });
        await record(req, {
          action: 'test_case.synced',
          targetId: cardId,
          after: { created: outcome.created, updated: outcome.updated },
        });
        res.json(outcome.counts);
        return;
      }
      const ids = await service.importTestCases(cardId, format, text);
      await record(req, {
        action: 'test_case.imported',
        targetId: cardId,
        after: { created: ids },
      });
      res.status(201).json({ imported: ids.length });
    },
  );
  return router;
}
