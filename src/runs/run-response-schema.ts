/**
 * The shapes the run routes answer with, as zod schemas (OpenAPI document, response checks in
 * the tests). They describe `Run`, `RunResult` and `ModelSummary` of run-schema.ts.
 */
import { z } from 'zod';
import { timestamp } from '../http/index.js';
import { RUN_STATUSES } from './run-schema.js';

const count = z.number().int().nonnegative();
const nullableNumber = z.number().nullable();

export const runProgressSchema = z
  .strictObject({
    total: count,
    completed: count,
    passed: count,
    failed: count,
    errored: count,
    not_judged: count.meta({ description: 'Answered, but nothing judged them' }),
    remaining: count,
  })
  .meta({ id: 'RunProgress' });

export const modelSummarySchema = z
  .strictObject({
    model: z.string(),
    simulated: z.boolean(),
    results: count,
    passed: count,
    failed: count,
    errored: count,
    not_judged: count.meta({ description: 'Answered, but nothing judged them' }),
    pass_rate: nullableNumber.meta({
      description: 'passed / (results − not_judged); null when no result counts',
    }),
    mean_score: nullableNumber,
    latency_ms: z.strictObject({ p50: nullableNumber, p95: nullableNumber }),
    answered_latency_ms_total: z.number().nonnegative(),
    tokens: z.strictObject({ input: count.nullable(), output: count.nullable() }).meta({
      description: 'Sums of the reported token counts; null when none was reported',
    }),
    tokens_complete: z.boolean(),
    cost_usd: nullableNumber.meta({ description: 'Sum of known costs in USD' }),
    cost_complete: z.boolean(),
    errors_by_type: z.record(z.string(), count),
  })
  .meta({ id: 'ModelSummary' });

export const runSchema = z
  .strictObject({
    id: z.string(),
    prompt_card_id: z.string(),
    status: z.enum(RUN_STATUSES),
    models: z.array(z.string()),
    concurrency: z.number().int().positive(),
    repeat: z.number().int().positive(),
    cache: z.boolean().meta({ description: 'Whether the run uses the answer cache' }),
    prompt_version: z
      .number()
      .int()
      .nullable()
      .meta({ description: "The card's template version this run renders (pinned)" }),
    user_category: z.string(),
    error: z.string().nullable(),
    created_at: timestamp,
    started_at: timestamp.nullable(),
    finished_at: timestamp.nullable(),
    progress: runProgressSchema,
    summary: z.array(modelSummarySchema),
  })
  .meta({ id: 'Run' });

export const assertionResultSchema = z
  .strictObject({
    type: z.string(),
    pass: z.boolean(),
    score: z.number().min(0).max(1),
    weight: z.number(),
    reason: z.string(),
    error: z.string().optional(),
    error_type: z.string().optional(),
  })
  .meta({ id: 'AssertionResult' });

export const runResultSchema = z
  .strictObject({
    id: z.string(),
    run_id: z.string(),
    test_case_id: z.string(),
    model: z.string(),
    repetition: z.number().int().nonnegative(),
    rendered_prompt: z.string(),
    output: z.string().nullable(),
    latency_ms: z.number().nonnegative(),
    input_tokens: z.number().int().nullable(),
    output_tokens: z.number().int().nullable(),
    cost_usd: nullableNumber,
    assertions: z.array(assertionResultSchema),
    score: z.number(),
    passed: z.boolean(),
    judged: z.boolean().meta({
      description: 'False for an answer nothing judged (no assertions, no expected output)',
    }),
    error: z.strictObject({ type: z.string(), message: z.string() }).nullable(),
    simulated: z.boolean(),
    cached: z.boolean().meta({ description: 'The answer came from the answer cache' }),
    attempts: z.number().int().nonnegative(),
    finish_reason: z.string().nullable().meta({
      description:
        'Why the model stopped, as the server said (stop, length, tool_calls, content_filter; Ollama’s done_reason); null when unknown',
    }),
    refusal: z.string().nullable().meta({
      description:
        'The model’s refusal message when it declined instead of answering; the answer then fails every check except is-refusal and finish-reason',
    }),
    reasoning: z.string().nullable().meta({
      description:
        'The model’s reasoning kept apart from output (sent apart by the server, or <think> blocks taken out when the card’s show_thinking is false)',
    }),
    created_at: timestamp,
  })
  .meta({ id: 'RunResult' });

export const providerModelsSchema = z
  .strictObject({
    provider: z.string(),
    simulated: z.boolean(),
    models: z.array(z.string()),
    accepts_unlisted: z.boolean().meta({
      description: 'True when the provider cannot list its models: runs accept any id, unchecked',
    }),
    error: z.strictObject({ kind: z.string(), message: z.string() }).optional(),
  })
  .meta({ id: 'ProviderModels' });

export const assertionTypeSchema = z
  .strictObject({
    type: z.string(),
    description: z.string(),
    default_threshold: z.number().nullable(),
  })
  .meta({ id: 'AssertionType' });
