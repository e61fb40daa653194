/** What the run, model and assertion-type routes take and answer (src/http/route-doc.ts). */
import { z } from 'zod';
import { pageQuerySchema } from '../cards/index.js';
import { idParams, pageSchema, type RouteDoc } from '../http/route-doc.js';
import {
  assertionTypeSchema,
  providerModelsSchema,
  runResultSchema,
  runSchema,
} from './run-response-schema.js';
import { resultsQuerySchema } from './run-routes.js';
import { runRequestSchema } from './run-schema.js';

const tag = 'Runs';

/** The run request as documented (the limits of this configuration are checked at runtime). */
export function runRouteDocs(maxConcurrency: number, defaultConcurrency: number): RouteDoc[] {
  return [
    {
      method: 'post',
      path: '/api/prompt-cards/:id/runs',
      operationId: 'createRun',
      tag,
      summary: "Run every test case of the card against each model; stored as 'queued' first",
      params: idParams,
      body: runRequestSchema(maxConcurrency, defaultConcurrency).meta({ id: 'RunRequest' }),
      responses: { 202: { description: 'The run, accepted and stored', schema: runSchema } },
      errors: [
        'PCS_ERR_CARD_NOT_FOUND',
        'PCS_ERR_RUN_NO_TEST_CASES',
        'PCS_ERR_PROVIDER_UNKNOWN',
        'PCS_ERR_MODEL_UNKNOWN',
      ],
    },
    {
      method: 'get',
      path: '/api/prompt-cards/:id/runs',
      operationId: 'listRuns',
      tag,
      summary: "The card's runs, newest first",
      params: idParams,
      query: pageQuerySchema,
      responses: { 200: { description: 'One page of runs', schema: pageSchema(runSchema) } },
      errors: ['PCS_ERR_CARD_NOT_FOUND'],
    },
    {
      method: 'get',
      path: '/api/runs/:id',
      operationId: 'getRun',
      tag,
      summary: 'Status, progress counts and the summary per model',
      params: idParams,
      responses: { 200: { description: 'The run', schema: runSchema } },
      errors: ['PCS_ERR_RUN_NOT_FOUND'],
    },
    {
      method: 'get',
      path: '/api/runs/:id/results',
      operationId: 'listRunResults',
      tag,
      summary: 'Results in completion order',
      params: idParams,
      query: resultsQuerySchema,
      responses: {
        200: { description: 'One page of results', schema: pageSchema(runResultSchema) },
      },
      errors: ['PCS_ERR_RUN_NOT_FOUND'],
    },
    {
      method: 'post',
      path: '/api/runs/:id/cancel',
      operationId: 'cancelRun',
      tag,
      summary: 'Cancel a queued or running run (in-flight calls are aborted)',
      params: idParams,
      responses: { 200: { description: 'The run', schema: runSchema } },
      errors: ['PCS_ERR_RUN_NOT_FOUND', 'PCS_ERR_RUN_NOT_CANCELLABLE'],
    },
    {
      method: 'post',
      path: '/api/runs/:id/resume',
      operationId: 'resumeRun',
      tag,
      summary: 'Run the missing items of an interrupted or cancelled run',
      params: idParams,
      responses: { 202: { description: 'The run, queued again', schema: runSchema } },
      errors: ['PCS_ERR_RUN_NOT_FOUND', 'PCS_ERR_RUN_NOT_RESUMABLE'],
    },
    {
      method: 'get',
      path: '/api/models',
      operationId: 'listModels',
      tag: 'Models',
      summary: "Every provider's models; an unreachable provider is reported, not fatal",
      responses: {
        200: {
          description: 'Providers and their models',
          schema: z.strictObject({ providers: z.array(providerModelsSchema) }),
        },
      },
    },
    {
      method: 'get',
      path: '/api/assertion-types',
      operationId: 'listAssertionTypes',
      tag: 'Models',
      summary: 'The assertion kinds a test case may use',
      responses: {
        200: {
          description: 'Assertion kinds',
          schema: z.strictObject({ items: z.array(assertionTypeSchema) }),
        },
      },
    },
  ];
}
