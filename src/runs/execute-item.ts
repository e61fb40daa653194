/**
 * One item of a run, in two stages so the engine can keep model calls going:
 * - `callItem`: render the template and call the model. Provider failures and bad inputs
 *   finish the item here as an errored result; cancellation propagates (the item is then not
 *   recorded at all).
 * - `scoreItem`: run the assertions on the answer and build the result.
 * Both give the item's typed result (`RunResult`: assertions, passed, judged, error…), which
 * the store, the observers, the span and the event all take as it is; only the store
 * serialises it.
 */
import { randomUUID } from 'node:crypto';
import {
  callsModel,
  evaluateAssertions,
  evaluationError,
  needsLogProbs,
  type ExpectedOutputMatch,
} from '../assertions/index.js';
import { MissingVariablesError, renderTemplate, type Card, type TestCase } from '../cards/index.js';
import {
  ProviderError,
  withoutThinking,
  type ModelCall,
  type ModelClient,
} from '../providers/index.js';
import { answerKey, type AnswerCache } from './answer-cache.js';
import type { RunResult } from './run-schema.js';

/** The answer cache as a run uses it: where answers are kept, and who counts lookups. */
export interface ItemCache {
  readonly store: AnswerCache;
  onLookup(hit: boolean): void;
}

export interface RunItem {
  readonly runId: string;
  readonly testCaseId: string;
  /** Undefined when the test case was deleted after the run was created. */
  readonly testCase: TestCase | undefined;
  readonly model: string;
  readonly repetition: number;
}

export interface ItemOutcome {
  readonly result: RunResult;
  /** The model call, when one answered (absent for errors). */
  readonly call?: ModelCall;
}

type ResultBase = Omit<RunResult, 'id' | 'created_at'>;

/** A model's answer waiting to be scored. */
export interface AnsweredItem {
  readonly base: ResultBase;
  readonly testCase: TestCase;
  readonly prompt: string;
  readonly call: ModelCall;
  /** Scoring calls a model too (embeddings, a grader), so it needs a concurrency slot. */
  readonly scoringCallsModel: boolean;
}

/** Either the item is finished (an error was recorded) or it has an answer to score. */
export type CallStage = { readonly finished: ItemOutcome } | { readonly answered: AnsweredItem };

function errorResult(base: ResultBase, type: string, message: string, attempts = 0): RunResult {
  return {
    ...base,
    attempts,
    id: randomUUID(),
    created_at: new Date().toISOString(),
    error: { type, message },
  };
}

/** The answer as the card's checks see it: without inline reasoning when `show_thinking` is off. */
function asCardShows(card: Card, call: ModelCall): ModelCall {
  return card.show_thinking ? call : withoutThinking(call);
}

export async function callItem(
  card: Card,
  item: RunItem,
  models: ModelClient,
  signal: AbortSignal,
  cache?: ItemCache,
): Promise<CallStage> {
  const base: ResultBase = {
    run_id: item.runId,
    test_case_id: item.testCaseId,
    model: item.model,
    repetition: item.repetition,
    rendered_prompt: '',
    output: null,
    latency_ms: 0,
    input_tokens: null,
    output_tokens: null,
    cost_usd: null,
    assertions: [],
    score: 0,
    passed: false,
    judged: false,
    error: null,
    simulated: models.providerFor(item.model)?.simulated === true,
    attempts: 0,
    cached: false,
    finish_reason: null,
    refusal: null,
    reasoning: null,
  };
  if (item.testCase === undefined) {
    // Recorded as an error so the run's totals stay true.
    return {
      finished: {
        result: errorResult(
          base,
          'invalid_input',
          'The test case was deleted after the run was created',
        ),
      },
    };
  }
  const testCase = item.testCase;
  let prompt: string;
  try {
    prompt = renderTemplate(card.prompt_template, testCase.input_variables);
  } catch (error) {
    if (error instanceof MissingVariablesError)
      return { finished: { result: errorResult(base, 'invalid_input', error.message) } };
    throw error;
  }
  const messages = [{ role: 'user' as const, content: prompt }];
  // perplexity assertions need the tokens' logprobs: asked for (and cached apart) only then.
  const logProbs = needsLogProbs(testCase.assertions);
  const key =
    cache === undefined
      ? undefined
      : logProbs
        ? answerKey(item.model, messages, { logprobs: true })
        : answerKey(item.model, messages);
  if (cache !== undefined && key !== undefined) {
    const hit = await cache.store.get(key);
    cache.onLookup(hit !== undefined);
    if (hit !== undefined) {
      const scoringCallsModel = callsModel(testCase.assertions);
      const call = asCardShows(card, hit);
      return {
        answered: { base: { ...base, cached: true }, testCase, prompt, call, scoringCallsModel },
      };
    }
  }
  const started = performance.now();
  try {
    // The vars go along for a suite provider whose settings are templates (suite-provider.ts).
    const answer = await models.chat(item.model, messages, signal, {
      ...(logProbs ? { logProbs } : {}),
      vars: testCase.input_variables,
    });
    // Only answers are cached, as the model gave them: a failure below never reaches this line.
    if (cache !== undefined && key !== undefined) await cache.store.set(key, answer);
    const call = asCardShows(card, answer);
    return {
      answered: {
        base,
        testCase,
        prompt,
        call,
        scoringCallsModel: callsModel(testCase.assertions),
      },
    };
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    const latency = performance.now() - started;
    const withPrompt = { ...base, rendered_prompt: prompt, latency_ms: latency };
    // A provider failure says how many calls it took (retries included); a resolution
    // failure (no such provider) made none.
    if (error instanceof ProviderError)
      return {
        finished: {
          result: errorResult(withPrompt, error.kind, error.message, error.details.attempts ?? 0),
        },
      };
    return {
      finished: {
        result: errorResult(
          withPrompt,
          'internal',
          error instanceof Error ? error.message : String(error),
          1,
        ),
      },
    };
  }
}

/**
 * Scores an answer. When scoring calls a model and the run is cancelled meanwhile, the
 * cancellation propagates (those assertions could not finish); local assertions cannot be
 * cut short, so their item is recorded even if the run was cancelled after the answer came.
 */
export async function scoreItem(
  answered: AnsweredItem,
  models: ModelClient,
  signal: AbortSignal,
  expectedOutputMatch: ExpectedOutputMatch = 'trimmed',
): Promise<ItemOutcome> {
  const { base, call, prompt, testCase } = answered;
  const evaluation = await evaluateAssertions(
    testCase.assertions,
    {
      output: call.output,
      vars: testCase.input_variables,
      prompt,
      finishReason: call.finishReason,
      ...(call.refusal === undefined ? {} : { refusal: call.refusal }),
      ...(call.structured === true ? { structured: true } : {}),
      ...(call.logProbs === undefined ? {} : { logProbs: call.logProbs }),
      latencyMs: call.latencyMs,
      costUsd: call.costUsd,
      signal,
      embed: (texts, s) => models.embed(texts, s),
      moderate: (model, text, s) => models.moderate(model, text, s),
      grade: (rubric, output, s) => models.grade(rubric, output, s),
      askGrader: async (messages, s) => (await models.askGrader(messages, s)).text,
    },
    testCase.expected_output === null
      ? undefined
      : { text: testCase.expected_output, match: expectedOutputMatch },
  );
  if (answered.scoringCallsModel && signal.aborted) throw signal.reason;
  // An assertion that could not be evaluated (a grader answer that does not parse, an
  // embedding server down) makes the result an error, not a failed verdict.
  const error = evaluationError(evaluation);
  return {
    call,
    result: {
      ...base,
      id: randomUUID(),
      rendered_prompt: prompt,
      output: call.output,
      latency_ms: call.latencyMs,
      input_tokens: call.inputTokens,
      output_tokens: call.outputTokens,
      cost_usd: call.costUsd,
      assertions: evaluation.results,
      score: error === undefined ? evaluation.score : 0,
      passed: error === undefined && evaluation.pass,
      judged: error === undefined && evaluation.judged,
      error: error === undefined ? null : { type: error.type, message: error.message },
      simulated: call.simulated,
      attempts: call.attempts,
      finish_reason: call.finishReason,
      refusal: call.refusal ?? null,
      reasoning: call.reasoning ?? null,
      created_at: new Date().toISOString(),
    },
  };
}
