/**
 * One assertion spec evaluated on one output, as the run engine does (the spec parsed by the
 * API's schema first): the context a unit test of an assertion kind needs, with no model behind
 * it unless the test gives one (`embed` and `grade` reject by default).
 */
import assert from 'node:assert/strict';
import {
  assertionSpecSchema,
  evaluateAssertions,
  type AssertionContext,
  type AssertionResult,
} from '../../src/assertions/index.js';

/** A context for `output`: 1 ms latency, no cost, no model; `over` replaces any field. */
export function assertionContext(
  output: string,
  over: Partial<AssertionContext> = {},
): AssertionContext {
  return {
    output,
    latencyMs: 1,
    costUsd: null,
    signal: AbortSignal.timeout(10_000),
    embed: () => Promise.reject(new Error('no embedding model in this test')),
    grade: () => Promise.reject(new Error('no grader in this test')),
    ...over,
  };
}

/** The result of `spec` (parsed as the API parses it) on `output`. */
export async function checkAssertion(
  spec: Record<string, unknown>,
  output: string,
  over: Partial<AssertionContext> = {},
): Promise<AssertionResult> {
  const evaluation = await evaluateAssertions(
    [assertionSpecSchema.parse(spec)],
    assertionContext(output, over),
  );
  const result = evaluation.results[0];
  assert.ok(result !== undefined, 'one result per assertion');
  return result;
}
