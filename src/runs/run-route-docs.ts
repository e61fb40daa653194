/** What the run, model and assertion-type routes take and answer (src/http/route-doc.ts). */
import { z } from 'zod';
import { pageQuerySchema } from '../cards/index.js';
import { idParams, pageSchema, type RouteDoc } from '../http/index.js';
import {
  assertionTypeSchema,
  providerModelsSchema,
  runResultSchema,
  runSchema,
} from './run-response-schema.js';
import { resultsQuerySchema } from './run-routes.js';
import { runRequestSchema } from './run-schema.js';
import { queryDecimal } from '../util/index.js';

const tag = 'Runs';

const change = z.enum(['fixed', 'broken', 'still_failing', 'still_passing', 'new', 'removed']);
const verdict = z.enum(['regression', 'improvement', 'no_significant_change']);
const rate = z.number().nullable();
const comparisonSchema = z
  .strictObject({
    run_id: z.string(),
    baseline_run_id: z.string(),
    alpha: z.number(),
    verdict,
    models: z.array(
      z.strictObject({
        model: z.string(),
        paired_cases: z.number().int(),
        counts: z.strictObject({
          fixed: z.number().int(),
          broken: z.number().int(),
          still_failing: z.number().int(),
          still_passing: z.number().int(),
          new: z.number().int(),
          removed: z.number().int(),
        }),
        baseline_pass_rate: rate,
        candidate_pass_rate: rate,
        pass_rate_delta: rate,
        test: z.enum(['mcnemar_exact', 'bootstrap']),
        p_value: rate,
        interval: z.strictObject({ lower: z.number(), upper: z.number() }).nullable(),
        verdict,
        latency_ms: z.strictObject({ p50_delta: rate, p95_delta: rate }),
        cost_usd_delta: rate,
        pass_hat_k: z.strictObject({
          baseline: z.array(z.number()),
          candidate: z.array(z.number()),
        }),
        flaky_cases: z.strictObject({ baseline: z.number().int(), candidate: z.number().int() }),
      }),
    ),
    cases: z.array(
      z.strictObject({
        key: z.string(),
        model: z.string(),
        change,
        baseline_pass_rate: rate,
        candidate_pass_rate: rate,
        score_delta: rate,
      }),
    ),
  })
  .meta({ id: 'RunComparison' });

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
    ...(['jsonl', 'csv'] as const).map((format): RouteDoc => ({
      method: 'get',
      path: `/api/runs/:id/results.${format}`,
      operationId: format === 'jsonl' ? 'exportRunResultsJsonl' : 'exportRunResultsCsv',
      tag,
      summary: `Every result of the run, streamed as ${format === 'jsonl' ? 'JSON Lines' : 'CSV'}`,
      params: idParams,
      responses: {
        200: {
          description: 'The results in completion order',
          contentType: format === 'jsonl' ? 'application/x-ndjson' : 'text/csv',
        },
      },
      errors: ['PCS_ERR_RUN_NOT_FOUND'],
    })),
    {
      method: 'get',
      path: '/api/runs/:id/compare/:baseline',
      operationId: 'compareRuns',
      tag,
      summary:
        "Verdict changes per test case and model, and per model the pass-rate difference with McNemar's exact test (bootstrap interval with repeat > 1)",
      params: z.strictObject({ id: z.string(), baseline: z.string() }),
      query: z.strictObject({
        alpha: queryDecimal(z.number().gt(0).lt(0.5))
          .optional()
          .meta({ description: 'Significance level; RUN_COMPARE_ALPHA by default' }),
      }),
      responses: { 200: { description: 'The comparison', schema: comparisonSchema } },
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
