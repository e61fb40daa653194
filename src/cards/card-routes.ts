/** HTTP routes of prompt cards and test cases: parse, call the service, answer. No rules here. */
import { Router } from 'express';
import { parseOrThrow, recordNothing, withoutReadOnly, type RecordChange } from '../http/index.js';
import {
  cardInputSchema,
  cardListQuerySchema,
  pageQuery,
  READ_ONLY_CARD_FIELDS,
  READ_ONLY_TEST_CASE_FIELDS,
  testCaseInputSchema,
} from './card-schema.js';
import type { CardService } from './card-service.js';

export function cardRoutes(service: CardService, record: RecordChange = recordNothing): Router {
  const router = Router();

  router.post('/prompt-cards', async (req, res) => {
    const input = parseOrThrow(cardInputSchema, withoutReadOnly(req.body, READ_ONLY_CARD_FIELDS));
    const card = await service.createCard(input);
    await record(req, { action: 'card.created', targetId: card.id, after: card });
    res.status(201).location(`/api/prompt-cards/${card.id}`).json(card);
  });

  router.get('/prompt-cards', async (req, res) => {
    res.json(await service.listCards(parseOrThrow(cardListQuerySchema, req.query, 'query')));
  });

  router.get('/prompt-cards/:id', async (req, res) => {
    res.json(await service.getCard(req.params.id));
  });

  router.put('/prompt-cards/:id', async (req, res) => {
    const input = parseOrThrow(cardInputSchema, withoutReadOnly(req.body, READ_ONLY_CARD_FIELDS));
    const before = await service.getCard(req.params.id);
    const after = await service.updateCard(req.params.id, input);
    await record(req, { action: 'card.updated', targetId: after.id, before, after });
    res.json(after);
  });

  router.delete('/prompt-cards/:id', async (req, res) => {
    const before = await service.getCard(req.params.id);
    await service.deleteCard(req.params.id);
    await record(req, { action: 'card.deleted', targetId: before.id, before });
    res.status(204).end();
  });

  router.post('/prompt-cards/:id/test-cases', async (req, res) => {
    const input = parseOrThrow(
      testCaseInputSchema,
      withoutReadOnly(req.body, READ_ONLY_TEST_CASE_FIELDS),
    );
    const testCase = await service.createTestCase(req.params.id, input);
    await record(req, { action: 'test_case.created', targetId: testCase.id, after: testCase });
    res.status(201).location(`/api/test-cases/${testCase.id}`).json(testCase);
  });

  router.get('/prompt-cards/:id/test-cases', async (req, res) => {
    const page = parseOrThrow(pageQuery('test-cases'), req.query, 'query');
    res.json(await service.listTestCases(req.params.id, page));
  });

  router.get('/test-cases/:id', async (req, res) => {
    res.json(await service.getTestCase(req.params.id));
  });

  router.put('/test-cases/:id', async (req, res) => {
    const input = parseOrThrow(
      testCaseInputSchema,
      withoutReadOnly(req.body, READ_ONLY_TEST_CASE_FIELDS),
    );
    const before = await service.getTestCase(req.params.id);
    const after = await service.updateTestCase(req.params.id, input);
    await record(req, { action: 'test_case.updated', targetId: after.id, before, after });
    res.json(after);
  });

  router.delete('/test-cases/:id', async (req, res) => {
    const before = await service.getTestCase(req.params.id);
    await service.deleteTestCase(req.params.id);
    await record(req, { action: 'test_case.deleted', targetId: before.id, before });
    res.status(204).end();
  });

  return router;
}
