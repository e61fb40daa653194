/**
 * The `Assertion` seam: one kind of check on a model's output.
 *
 * Implementer's contract:
 * - `valueSchema` validates the assertion's `value` when a test case is created, so a bad
 *   parameter is a 422 then, never a surprise during a run.
 * - `evaluate` never modifies its inputs and returns `{pass, score, reason}` with `score` in
 *   [0, 1]. It may throw only for infrastructure failures (e.g. the embedding provider is
 *   down); the runner records those as the result's error, not as a failed assertion.
 * - Kinds that compare against a threshold declare `defaultThreshold`; the others refuse one.
 */
import type { z } from 'zod';

export interface AssertionOutcome {
  readonly pass: boolean;
  /** In [0, 1]; 1 is best. */
  readonly score: number;
  readonly reason: string;
}

/** What an assertion may observe about one model call. */
export interface AssertionContext {
  /** The output as text (a structured output, e.g. tool calls, as JSON). */
  readonly output: string;
  /**
   * The output as promptfoo's `javascript` sees it: tool calls as their parsed list, a
   * transform's result as it returned it; undefined means `output`.
   */
  readonly outputValue?: unknown;
  /** The test case's variables and the prompt sent (for `javascript` and transforms). */
  readonly vars?: Readonly<Record<string, unknown>>;
  readonly prompt?: string;
  /** Why the model stopped (`stop`, `length`, `tool_calls`, `content_filter`), when the backend said. */
  readonly finishReason?: string | null;
  /** The model's refusal message, when it declined instead of answering (OpenAI's `refusal`). */
  readonly refusal?: string;
  /** The output is JSON the request asked for (tool calls, json_schema): code sees it parsed. */
  readonly structured?: boolean;
  readonly latencyMs: number;
  /** USD; null when the model has no price in the price table. */
  readonly costUsd: number | null;
  readonly signal: AbortSignal;
  /** Embeds texts with the configured embedding model. */
  readonly embed: (texts: readonly string[], signal: AbortSignal) => Promise<number[][]>;
  /** Asks the configured grader model to score `output` against `rubric`. */
  readonly grade: (
    rubric: string,
    output: string,
    signal: AbortSignal,
  ) => Promise<{ score: number; reason: string }>;
  /**
   * Sends a conversation to the configured grader and resolves to its answer text (a custom
   * `rubricPrompt`); absent where no grader conversation can be held.
   */
  readonly askGrader?: (
    messages: readonly { role: 'system' | 'user' | 'assistant'; content: string }[],
    signal: AbortSignal,
  ) => Promise<string>;
  /**
   * The categories a moderation model (`openai:<model>`) flags in `text`, with their 0–1
   * scores; absent where no moderation model can be called.
   */
  readonly moderate?: (
    model: string,
    text: string,
    signal: AbortSignal,
  ) => Promise<readonly { readonly category: string; readonly score: number }[]>;
  /** The assertion's custom grader prompt (promptfoo's `rubricPrompt`), when it has one. */
  readonly rubricPrompt?: string;
  /** The assertion's `config`, given to its code as `context.config` (promptfoo's). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** The threshold the assertion gave itself, when it gave one (not the kind's default). */
  readonly ownThreshold?: number;
  /**
   * promptfoo's `contextTransform`: JavaScript over the output giving the retrieved context
   * the RAG kinds judge (see retrieved-context.ts), when the assertion has one.
   */
  readonly contextTransform?: string;
  /**
   * The natural-log probability of each output token, when the server gave them (OpenAI's
   * `choices[0].logprobs.content[].logprob`); absent otherwise.
   */
  readonly logProbs?: readonly number[];
}

export interface AssertionKind<Value = unknown> {
  readonly type: string;
  /** One line for the docs and the API's list of kinds. */
  readonly description: string;
  readonly valueSchema: z.ZodType<Value>;
  /** Present for kinds that pass when a score reaches a threshold. */
  readonly defaultThreshold?: number;
  /**
   * The largest threshold the kind takes (default 1, a 0–1 score); larger for kinds whose
   * threshold counts something else (`levenshtein`: edits, `perplexity`: a perplexity).
   */
  readonly thresholdMax?: number;
  /**
   * True for kinds that need the answer's token logprobs (`perplexity`): the run asks an
   * OpenAI-compatible server for them (`logprobs: true`) when a test case has such a kind.
   */
  readonly needsLogProbs?: boolean;
  /**
   * Why this assertion cannot run in this process (the field and the message), checked when a
   * test case is written: e.g. a `webhook` URL whose origin a service does not allow (see
   * outbound.ts). Undefined when it can.
   */
  refusedHere?(
    value: Value,
    config: Readonly<Record<string, unknown>> | undefined,
  ): { path: string[]; message: string } | undefined;
  /**
   * True for kinds that call a model (embeddings, a grader). The run engine scores those inside
   * the item's concurrency slot, so the limit holds for every model call; the others are scored
   * after the slot has moved on to the next item.
   */
  readonly callsModel?: boolean;
  /**
   * True for kinds about how the model stopped (`is-refusal`, `finish-reason`): they judge a
   * declined answer (a refusal, a content filter; see declined.ts). Every other kind fails on
   * one without being evaluated.
   */
  readonly judgesDeclined?: boolean;
  /** True for kinds a custom grader prompt (`rubricPrompt`) applies to. */
  readonly usesRubricPrompt?: boolean;
  /** True when the value may be left out only if a custom `rubricPrompt` says it all. */
  readonly valueOrRubricPrompt?: boolean;
  /** True for kinds that judge a retrieved context and take a `contextTransform`. */
  readonly usesContext?: boolean;
  /** Validates the assertion's `config` where the kind reads it (422 naming the field). */
  readonly configSchema?: z.ZodType;
  /**
   * True for kinds that run user code outside a sandbox (`python`): accepted and run only
   * where `allowLocalCode` was called (the eval command), refused on a service.
   */
  readonly runsLocalCode?: boolean;
  /**
   * True for kinds graded across the outputs of one test row (`select-best`, `max-score`; see
   * comparative.ts): skipped when one output is scored, `evaluate` is never called.
   */
  readonly comparative?: boolean;
  evaluate(
    value: Value,
    threshold: number,
    context: AssertionContext,
  ): AssertionOutcome | Promise<AssertionOutcome>;
}

/** Helper that keeps each kind file typed against its own value schema. */
export function defineAssertion<Value>(kind: AssertionKind<Value>): AssertionKind<Value> {
  return kind;
}

export function binary(pass: boolean, reason: string): AssertionOutcome {
  return { pass, score: pass ? 1 : 0, reason };
}

/** Quotes a possibly long text for a reason message. */
export function excerpt(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ');
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}
