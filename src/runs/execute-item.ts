/**
 * One item of a run: render the template, call the model, score the output. Provider failures
 * become an errored result; cancellation propagates (the item is then not recorded at all).
 */
import { randomUUID } from 'node:crypto';
import { evaluateAssertions, type AssertionResult } from '../assertions/index.js';
import { MissingVariablesError, renderTemplate, type Card, type TestCase } from '../cards/index.js';
import type { RunResultTable } from '../db/index.js';
import { ProviderError, type ModelCall, type ModelClient } from '../providers/index.js';

export interface RunItem {
  readonly testCaseId: string;
  /** Undefined when the test case was deleted after the run was created. */
  readonly testCase: TestCase | undefined;
  readonly model: string;
  readonly repetition: number;
}

export interface ItemOutcome {
  readonly row: RunResultTable;
  /** The model call, when one answered (absent for errors). */
  readonly call?: ModelCall;
}

function errorRow(
  base: Omit<RunResultTable, 'id' | 'created_at'>,
  type: string,
  message: string,
): RunResultTable {
  return {
    ...base,
    id: randomUUID(),
    created_at: new Date().toISOString(),
    error_type: type,
    error_message: message,
  };
}

export async function executeItem(
  card: Card,
  item: RunItem,
  models: ModelClient,
  signal: AbortSignal,
): Promise<ItemOutcome> {
  const base = {
    run_id: '',
    test_case_id: item.testCaseId,
    model: item.model,
    repetition: item.repetition,
    rendered_prompt: '',
    output: null,
    latency_ms: 0,
    input_tokens: null,
    output_tokens: null,
    cost_usd: null,
    assertion_results: '[]',
    score: 0,
    passed: 0,
    error_type: null,
    error_message: null,
    simulated: models.providerFor(item.model)?.simulated === true ? 1 : 0,
    attempts: 0,
  };
  if (item.testCase === undefined) {
    // Recorded as an error so the run's totals stay true.
    return {
      row: errorRow(base, 'invalid_input', 'The test case was deleted after the run was created'),
    };
  }
  const testCase = item.testCase;
  let prompt: string;
  try {
    prompt = renderTemplate(card.prompt_template, testCase.input_variables);
  } catch (error) {
    if (error instanceof MissingVariablesError)
      return { row: errorRow(base, 'invalid_input', error.message) };
    throw error;
  }
  const started = performance.now();
  let call: ModelCall;
  try {
    call = await models.chat(item.model, [{ role: 'user', content: prompt }], signal);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    const latency = performance.now() - started;
    const withPrompt = { ...base, rendered_prompt: prompt, latency_ms: latency };
    if (error instanceof ProviderError)
      return { row: errorRow(withPrompt, error.kind, error.message) };
    return {
      row: errorRow(withPrompt, 'internal', error instanceof Error ? error.message : String(error)),
    };
  }
  const evaluation = await evaluateAssertions(testCase.assertions, {
    output: call.output,
    latencyMs: call.latencyMs,
    costUsd: call.costUsd,
    signal,
    embed: (texts, s) => models.embed(texts, s),
    grade: (rubric, output, s) => models.grade(rubric, output, s),
  });
  if (signal.aborted) throw signal.reason;
  const results: AssertionResult[] = evaluation.results;
  return {
    call,
    row: {
      ...base,
      id: randomUUID(),
      rendered_prompt: prompt,
      output: call.output,
      latency_ms: call.latencyMs,
      input_tokens: call.inputTokens,
      output_tokens: call.outputTokens,
      cost_usd: call.costUsd,
      assertion_results: JSON.stringify(results),
      score: evaluation.score,
      passed: evaluation.pass ? 1 : 0,
      simulated: call.simulated ? 1 : 0,
      attempts: call.attempts,
      created_at: new Date().toISOString(),
    },
  };
}
