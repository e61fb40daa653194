/**
 * Runs a test case's checks against one output and combines them: its assertions and, when it
 * has one, its expected output (see `expected-output.ts`), with promptfoo's rules for weights,
 * `assert-set`s and thresholds (see `grade-test.ts`; without sets: the weighted mean of the
 * check scores, passing when every check passes). With no check at all nothing judged the output: it is `judged: false`, neither
 * passed nor failed, and stays out of pass rates and mean scores.
 *
 * A declined answer (a refusal or a content filter, see declined.ts) fails every check except
 * those about how the model stopped (`is-refusal`, `finish-reason`); with no check at all it
 * fails too, since no answer came (the result's `refusal` and `finish_reason` say why).
 */
import { z } from 'zod';
import type { AssertionContext } from './assertion.js';
import { declinedReason } from './declined.js';
import {
  checkExpectedOutput,
  EXPECTED_OUTPUT_CHECK,
  type ExpectedOutputMatch,
} from './expected-output.js';
import { withoutComparative } from './comparative.js';
import { kindOf } from './registry.js';
import { gradeTest, leafSpecs } from './grade-test.js';
import { AssertionValueError, renderAssertionValue, undefinedVarsNote } from './render-value.js';
import { applyTransforms, structuredOutput } from './transform.js';
import type { AssertionSpec } from './spec-schema.js';

export interface AssertionResult {
  readonly type: string;
  readonly pass: boolean;
  readonly score: number;
  readonly weight: number;
  readonly reason: string;
  /** Set when the assertion could not be evaluated (e.g. embedding provider unreachable). */
  readonly error?: string;
  /**
   * The class of that failure: a provider error kind (`invalid_response`, …),
   * `invalid_assertion` (the value as rendered cannot be judged) or `internal`.
   */
  readonly error_type?: string;
}

export interface Evaluation {
  /** False when there was nothing to check: `pass` is then false and `score` 0. */
  readonly judged: boolean;
  readonly pass: boolean;
  readonly score: number;
  readonly results: AssertionResult[];
}

/**
 * With no check, the answer passes: a test case without assertions checks that the call
 * succeeds (promptfoo's verdict), and is counted like any other verdict.
 */
export function combine(results: readonly AssertionResult[]): Evaluation {
  if (results.length === 0) return { judged: true, pass: true, score: 1, results: [] };
  const totalWeight = results.reduce((sum, r) => sum + r.weight, 0);
  const score = results.reduce((sum, r) => sum + r.score * r.weight, 0) / totalWeight;
  return { judged: true, pass: results.every((r) => r.pass), score, results: [...results] };
}

/** Whether scoring these assertions calls a model (see `AssertionKind.callsModel`). */
export function callsModel(specs: readonly AssertionSpec[]): boolean {
  return leafSpecs(withoutComparative(specs)).some(
    (spec) => kindOf(spec.type)?.kind.callsModel === true,
  );
}

/** Whether these assertions need the answer's token logprobs (see `AssertionKind.needsLogProbs`). */
export function needsLogProbs(specs: readonly AssertionSpec[]): boolean {
  return leafSpecs(specs).some((spec) => kindOf(spec.type)?.kind.needsLogProbs === true);
}

/** The expected output of a test case and how to compare it (absent: not checked). */
export interface ExpectedOutput {
  readonly text: string;
  readonly match: ExpectedOutputMatch;
}

export async function evaluateAssertions(
  all: readonly AssertionSpec[],
  context: AssertionContext,
  expected?: ExpectedOutput,
): Promise<Evaluation> {
  // Comparative kinds are graded across a row's outputs once they all exist, as promptfoo does
  // (runs/grade-comparisons.ts): one output's verdict is that of its other checks.
  const specs = withoutComparative(all);
  const declined = declinedReason(context);
  const results = await Promise.all(
    leafSpecs(specs).map((spec) => evaluateOne(spec, context, declined)),
  );
  if (expected !== undefined)
    results.unshift(
      declined === undefined
        ? checkExpectedOutput(expected.text, context.output, expected.match)
        : { type: EXPECTED_OUTPUT_CHECK, pass: false, score: 0, weight: 1, reason: declined },
    );
  if (declined !== undefined && results.length === 0)
    return { judged: true, pass: false, score: 0, results: [] };
  // Sets, weights, thresholds and metrics as promptfoo combines them: the same function the
  // eval command's report uses (grade-test.ts).
  const { pass, score } = gradeTest(specs, results);
  return { judged: true, pass, score, results };
}

async function evaluateOne(
  spec: AssertionSpec,
  context: AssertionContext,
  declined: string | undefined,
): Promise<AssertionResult> {
  const weight = spec.weight ?? 1;
  const found = kindOf(spec.type);
  if (found === undefined) {
    // Stored specs were validated on write; this only happens if a kind was removed since.
    return {
      type: spec.type,
      pass: false,
      score: 0,
      weight,
      reason: 'Unknown assertion type',
      error: 'unknown_type',
    };
  }
  const { kind, negate } = found;
  // A refusal or filtered answer fails every check not about how the model stopped, negated
  // ones included: `not-contains` on an empty refusal is no pass.
  if (declined !== undefined && kind.judgesDeclined !== true)
    return { type: spec.type, pass: false, score: 0, weight, reason: declined };
  const threshold = spec.threshold ?? kind.defaultThreshold ?? 1;
  try {
    const transforms =
      spec.transform === undefined
        ? []
        : Array.isArray(spec.transform)
          ? spec.transform
          : [spec.transform];
    const seen =
      transforms.length === 0 && context.outputValue === undefined
        ? context
        : await applyTransforms(transforms, structuredOutput(context), context);
    // promptfoo makes a transform that throws the result's error, not a failed check.
    if (typeof seen === 'string')
      return {
        type: spec.type,
        pass: false,
        score: 0,
        weight,
        reason: `Transform failed: ${seen}`,
        error: `transform failed: ${seen}`,
        error_type: 'transform',
      };
    const graded = {
      ...seen,
      ...(spec.rubricPrompt === undefined ? {} : { rubricPrompt: spec.rubricPrompt }),
      ...(spec.threshold === undefined ? {} : { ownThreshold: spec.threshold }),
      ...(spec.config === undefined ? {} : { config: spec.config }),
      ...(spec.contextTransform === undefined ? {} : { contextTransform: spec.contextTransform }),
    };
    // promptfoo renders the value with the test's vars before judging (render-value.ts).
    const rendered = renderAssertionValue(spec.value, context.vars);
    const note = undefinedVarsNote(rendered.undefinedVars);
    const value = kind.valueSchema.safeParse(rendered.value);
    if (!value.success)
      throw new AssertionValueError(
        `the rendered value ${z.prettifyError(value.error).replace(/\s+/g, ' ')}${note}`,
      );
    const outcome = await kind.evaluate(value.data, threshold, graded);
    const raw = Number.isFinite(outcome.score) ? Math.min(1, Math.max(0, outcome.score)) : 0;
    // promptfoo's not-: the verdict and the score are inverted.
    const pass = negate ? !outcome.pass : outcome.pass;
    const score = negate ? 1 - raw : raw;
    const reason = `${negate ? `not: ${outcome.reason}` : outcome.reason}${note}`;
    return { type: spec.type, pass, score, weight, reason };
  } catch (error) {
    // Not a verdict: the run records it as the result's error (see `evaluationError`).
    const message = error instanceof Error ? error.message : String(error);
    const kind = (error as { kind?: unknown } | null)?.kind;
    return {
      type: spec.type,
      pass: false,
      score: 0,
      weight,
      reason: `Could not evaluate: ${message}`,
      error: message,
      error_type: typeof kind === 'string' ? kind : 'internal',
    };
  }
}

/**
 * The first assertion that could not be evaluated, as the result's error; undefined when every
 * assertion gave a verdict. Per the assertion contract, such a failure is not a failed check.
 */
export function evaluationError(
  evaluation: Evaluation,
): { type: string; message: string } | undefined {
  const failed = evaluation.results.find((r) => r.error !== undefined);
  if (failed?.error === undefined) return undefined;
  return {
    type: failed.error_type ?? 'internal',
    message: `The ${failed.type} assertion could not be evaluated: ${failed.error}`,
  };
}
