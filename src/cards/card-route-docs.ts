/** What the prompt-card and test-case routes take and answer (see src/http/route-doc.ts). */
import { z } from 'zod';
import { idParams, nextToken, pageSchema, timestamp, type RouteDoc } from '../http/index.js';
import { importQuery } from './import-routes.js';
import { diffParams, versionListQuery } from './version-routes.js';
import {
  cardInputSchema,
  cardListQuerySchema,
  cardSchema,
  pageQuerySchema,
  testCaseInputSchema,
  testCaseSchema,
} from './card-schema.js';

const tag = 'Prompt cards';
const card = cardSchema.meta({ id: 'PromptCard' });
const testCase = testCaseSchema.meta({ id: 'TestCase' });
const cardInput = cardInputSchema.meta({ id: 'PromptCardInput' });
const testCaseInput = testCaseInputSchema.meta({ id: 'TestCaseInput' });

export const cardRouteDocs: readonly RouteDoc[] = [
  {
    method: 'post',
    path: '/api/prompt-cards',
    operationId: 'createPromptCard',
    tag,
    summary: 'Create a prompt card; its variables are derived from the template',
    body: cardInput,
    responses: { 201: { description: 'The card as stored', schema: card } },
  },
  {
    method: 'get',
    path: '/api/prompt-cards',
    operationId: 'listPromptCards',
    tag,
    summary: 'List and search cards (title/description text, tag), newest first',
    query: cardListQuerySchema,
    responses: { 200: { description: 'One page of cards', schema: pageSchema(card) } },
  },
  {
    method: 'get',
    path: '/api/prompt-cards/:id',
    operationId: 'getPromptCard',
    tag,
    summary: 'Read a card',
    params: idParams,
    responses: { 200: { description: 'The card', schema: card } },
    errors: ['PCS_ERR_CARD_NOT_FOUND'],
  },
  {
    method: 'put',
    path: '/api/prompt-cards/:id',
    operationId: 'updatePromptCard',
    tag,
    summary: 'Replace the writable fields of a card',
    params: idParams,
    body: cardInput,
    responses: { 200: { description: 'The card as stored', schema: card } },
    errors: ['PCS_ERR_CARD_NOT_FOUND', 'PCS_ERR_CARD_TEMPLATE_BREAKS_TEST_CASES'],
  },
  {
    method: 'delete',
    path: '/api/prompt-cards/:id',
    operationId: 'deletePromptCard',
    tag,
    summary: 'Delete a card and its test cases (409 while it has a queued or running run)',
    params: idParams,
    responses: { 204: { description: 'Deleted' } },
    errors: ['PCS_ERR_CARD_NOT_FOUND', 'PCS_ERR_CARD_HAS_ACTIVE_RUN'],
  },
  {
    method: 'post',
    path: '/api/prompt-cards/:id/test-cases',
    operationId: 'createTestCase',
    tag,
    summary: "Add a test case; it must give every variable of the card's template",
    params: idParams,
    body: testCaseInput,
    responses: { 201: { description: 'The test case as stored', schema: testCase } },
    errors: ['PCS_ERR_CARD_NOT_FOUND', 'PCS_ERR_TEST_CASE_MISSING_VARIABLES'],
  },
  {
    method: 'get',
    path: '/api/prompt-cards/:id/test-cases',
    operationId: 'listTestCases',
    tag,
    summary: "List a card's test cases, oldest first",
    params: idParams,
    query: pageQuerySchema,
    responses: { 200: { description: 'One page of test cases', schema: pageSchema(testCase) } },
    errors: ['PCS_ERR_CARD_NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/test-cases/:id',
    operationId: 'getTestCase',
    tag,
    summary: 'Read a test case',
    params: idParams,
    responses: { 200: { description: 'The test case', schema: testCase } },
    errors: ['PCS_ERR_TEST_CASE_NOT_FOUND'],
  },
  {
    method: 'put',
    path: '/api/test-cases/:id',
    operationId: 'updateTestCase',
    tag,
    summary: 'Replace the writable fields of a test case',
    params: idParams,
    body: testCaseInput,
    responses: { 200: { description: 'The test case as stored', schema: testCase } },
    errors: ['PCS_ERR_TEST_CASE_NOT_FOUND', 'PCS_ERR_TEST_CASE_MISSING_VARIABLES'],
  },
  {
    method: 'delete',
    path: '/api/test-cases/:id',
    operationId: 'deleteTestCase',
    tag,
    summary: 'Delete a test case',
    params: idParams,
    responses: { 204: { description: 'Deleted' } },
    errors: ['PCS_ERR_TEST_CASE_NOT_FOUND'],
  },
];

const version = z
  .strictObject({
    version: z.number().int().positive(),
    prompt_template: z.string(),
    variables: z.array(z.string()),
    author: z.string().nullable(),
    created_at: timestamp,
  })
  .meta({ id: 'PromptVersion' });

/** Bulk import and prompt versions (issue: CI and teams). */
export const cardExtraRouteDocs: readonly RouteDoc[] = [
  {
    method: 'post',
    path: '/api/prompt-cards/:id/test-cases/import',
    operationId: 'importTestCases',
    tag,
    summary:
      'Import test cases from a JSON array, JSON Lines or CSV body, in one transaction (?mode=sync makes them exactly the rows, by name)',
    params: idParams,
    query: importQuery,
    body: z.unknown().meta({
      description:
        'application/json (an array of test cases), application/x-ndjson or text/csv (columns name, var:<variable>, expected_output, assertions)',
    }),
    responses: {
      200: {
        description: 'mode=sync: what changed',
        schema: z.strictObject({
          created: z.number().int(),
          updated: z.number().int(),
          deleted: z.number().int(),
          unchanged: z.number().int(),
        }),
      },
      201: {
        description: 'mode=append: how many were imported',
        schema: z.strictObject({ imported: z.number().int() }),
      },
    },
    errors: ['PCS_ERR_CARD_NOT_FOUND', 'PCS_ERR_TEST_CASE_MISSING_VARIABLES'],
  },
  {
    method: 'get',
    path: '/api/prompt-cards/:id/versions',
    operationId: 'listPromptVersions',
    tag,
    summary: "The card's template versions, newest first, a page at a time",
    params: idParams,
    query: versionListQuery,
    responses: {
      200: {
        description: 'One page of versions',
        schema: z.strictObject({
          items: z.array(version),
          total: z.number().int(),
          limit: z.number().int().positive(),
          next: nextToken,
        }),
      },
    },
    errors: ['PCS_ERR_CARD_NOT_FOUND', 'PCS_ERR_VALIDATION_FAILED'],
  },
  {
    method: 'get',
    path: '/api/prompt-cards/:id/versions/:from/diff/:to',
    operationId: 'diffPromptVersions',
    tag,
    summary:
      'A line diff from version `from` (old) to `to` (new) under a budget, and the variables added and removed',
    params: diffParams,
    responses: {
      200: {
        description: 'The diff',
        schema: z.strictObject({
          from: z.number().int(),
          to: z.number().int(),
          lines: z
            .array(z.strictObject({ op: z.enum(['keep', 'remove', 'add']), text: z.string() }))
            .describe('Lines of `from` only are `remove`, lines of `to` only are `add`'),
          exact: z
            .boolean()
            .describe(
              'False when aligning the lines both versions share needed more than `max_edit_lines` removed plus added lines or `deadline_ms`: the changed middle (between the common first and last lines) is then shown as every old line removed, then every new line added (still a correct diff, not the shortest)',
            ),
          max_edit_lines: z.number().int().describe('The edit budget of the line alignment'),
          deadline_ms: z.number().int().describe('The time budget of the line alignment, ms'),
          variables_added: z.array(z.string()),
          variables_removed: z.array(z.string()),
        }),
      },
    },
    errors: ['PCS_ERR_CARD_NOT_FOUND', 'PCS_ERR_VALIDATION_FAILED'],
  },
];
