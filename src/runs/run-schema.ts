/** Request and response shapes of runs and their results. */
import { z } from 'zod';
import type { AssertionResult } from '../assertions/index.js';

export const RUN_STATUSES = [
  'queued',
  'running',
  'completed',
  'cancelled',
  'interrupted',
  'failed',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const ACTIVE_RUN_STATUSES: readonly RunStatus[] = ['queued', 'running'];
export const RESUMABLE_RUN_STATUSES: readonly RunStatus[] = ['interrupted', 'cancelled'];

/** The largest run one request may create: test cases × models × repeat. */
export const MAX_RUN_ITEMS = 100_000;

export function runRequestSchema(maxConcurrency: number, defaultConcurrency: number) {
  return z.strictObject({
    models: z
      .array(
        z
          .string()
          .min(3)
          .max(200)
          .regex(/^[a-z][a-z0-9_-]*:.+$/s, 'must be "provider:model"')
          // The id becomes the `model` metric label and a log field: printable characters only.
          .regex(/^\P{C}*$/u, 'must not contain control or format characters'),
        {
          error: 'must be an array of model ids',
        },
      )
      .min(1, 'must name at least one model')
      .max(20, 'must name at most 20 models')
      .refine((models) => new Set(models).size === models.length, {
        message: 'must not repeat a model',
      }),
    concurrency: z
      .number({ error: 'must be a number' })
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(maxConcurrency, `must be at most ${maxConcurrency}`)
      .default(Math.min(defaultConcurrency, maxConcurrency)),
    repeat: z
      .number({ error: 'must be a number' })
      .int('must be an integer')
      .min(1)
      .max(100, 'must be at most 100')
      .default(1),
    /** Answer from the answer cache where it can (CACHE_DEFAULT when absent). */
    cache: z.boolean({ error: 'must be true or false' }).optional(),
  });
}
export type RunRequest = z.output<ReturnType<typeof runRequestSchema>>;

export interface RunProgress {
  readonly total: number;
  readonly completed: number;
  readonly passed: number;
  readonly failed: number;
  readonly errored: number;
  /** Answered, but no assertion and no expected output judged them. */
  readonly not_judged: number;
  readonly remaining: number;
}

export interface ModelSummary {
  readonly model: string;
  readonly simulated: boolean;
  readonly results: number;
  readonly passed: number;
  readonly failed: number;
  readonly errored: number;
  /** Answered, but no assertion and no expected output judged them. */
  readonly not_judged: number;
  /** passed / (results − not_judged); null when no result counts. */
  readonly pass_rate: number | null;
  readonly mean_score: number | null;
  /** Over results that got an answer (errors excluded). */
  readonly latency_ms: { readonly p50: number | null; readonly p95: number | null };
  /** Sum of the latencies of answered calls (for output tokens per second). */
  readonly answered_latency_ms_total: number;
  /**
   * Sums of the token counts providers reported; null when none did. `tokens_complete` is false
   * when some answered result had no count (the sums then cover only the others).
   */
  readonly tokens: { readonly input: number | null; readonly output: number | null };
  readonly tokens_complete: boolean;
  /** Sum of known costs; `cost_complete` is false when some result had no price. */
  readonly cost_usd: number | null;
  readonly cost_complete: boolean;
  readonly errors_by_type: Readonly<Record<string, number>>;
}

export interface Run {
  readonly id: string;
  readonly prompt_card_id: string;
  readonly status: RunStatus;
  readonly models: string[];
  readonly concurrency: number;
  readonly repeat: number;
  /** Whether the run answers from the answer cache where it can. */
  readonly cache: boolean;
  /** The card's template version this run renders (pinned at creation; resume keeps it). */
  readonly prompt_version: number | null;
  readonly user_category: string;
  readonly error: string | null;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly progress: RunProgress;
  readonly summary: ModelSummary[];
}

export interface RunResult {
  readonly id: string;
  readonly run_id: string;
  readonly test_case_id: string;
  readonly model: string;
  readonly repetition: number;
  readonly rendered_prompt: string;
  readonly output: string | null;
  readonly latency_ms: number;
  readonly input_tokens: number | null;
  readonly output_tokens: number | null;
  readonly cost_usd: number | null;
  readonly assertions: AssertionResult[];
  readonly score: number;
  readonly passed: boolean;
  /** False for an answer nothing judged (no assertions, no expected output): not a pass. */
  readonly judged: boolean;
  readonly error: { readonly type: string; readonly message: string } | null;
  readonly simulated: boolean;
  readonly attempts: number;
  /** True when the answer came from the answer cache: no model call was made. */
  readonly cached: boolean;
  /** Why the model stopped (`stop`, `length`, `tool_calls`, `content_filter`); null when unknown. */
  readonly finish_reason: string | null;
  /** The model's refusal message when it declined instead of answering; null otherwise. */
  readonly refusal: string | null;
  /** The model's reasoning, apart from `output` (sent apart, or `<think>` blocks taken out). */
  readonly reasoning: string | null;
  readonly created_at: string;
}
