/**
 * promptfoo's comparative assertions, `select-best` and `max-score`: graded once every output
 * of one test row exists (the same test case and repetition across the run's models), never
 * per output. The run engine skips them when it scores an item (`withoutComparative`) and
 * grades the row when the run's last item is recorded (runs/grade-comparisons.ts).
 *
 * - `select-best`: the grader is shown the criteria (`value`) and every output, and answers the
 *   index of the best one (the first integer of its answer); that output passes (score 1), the
 *   others fail (score 0). An answer without a valid index fails them all. `rubricPrompt`
 *   replaces the grader prompt (Nunjucks over the test's vars, `criteria` and `outputs`).
 * - `max-score`: deterministic; each output's score is the weighted average (or sum, `method`)
 *   of its other assertions' scores (`weights` by assertion type, default 1); the highest
 *   wins, the first output on a tie; with `threshold`, the winner passes only at or above it.
 *
 * Both need at least two outputs: with fewer, every output fails with promptfoo's message.
 */
import { z } from 'zod';
import { defineAssertion, type AssertionOutcome } from './assertion.js';
import type { AssertionResult } from './evaluate.js';
import { ASSERT_SET } from './grade-test.js';
import { asTemplateValue, renderGraderPrompt, type GraderMessage } from './rubric-prompt.js';
import type { AssertionSpec } from './spec-schema.js';

export const SELECT_BEST = 'select-best';
export const MAX_SCORE = 'max-score';

/** Whether `type` is graded across a row's outputs rather than on one output. */
export function isComparative(type: string): boolean {
  return type === SELECT_BEST || type === MAX_SCORE;
}

/** `specs` without the comparative assertions (in sets too): what one output is scored by. */
export function withoutComparative(specs: readonly AssertionSpec[]): AssertionSpec[] {
  return specs.flatMap((s) => {
    if (isComparative(s.type)) return [];
    if (s.type !== ASSERT_SET) return [s];
    return [{ ...s, assert: withoutComparative(s.assert ?? []) }];
  });
}

/** The comparative assertions of `specs`, in order (their members in sets included). */
export function comparativeSpecs(specs: readonly AssertionSpec[]): AssertionSpec[] {
  return specs.flatMap((s) =>
    isComparative(s.type) ? [s] : s.type === ASSERT_SET ? comparativeSpecs(s.assert ?? []) : [],
  );
}

const maxScoreValue = z
  .strictObject(
    {
      method: z.enum(['average', 'sum'], { error: 'must be average or sum' }).optional(),
      weights: z
        .record(z.string(), z.number({ error: 'must be a number' }).min(0, 'must be at least 0'), {
          error: 'must map assertion types to weights',
        })
        .optional(),
      threshold: z.number({ error: 'must be a number' }).optional(),
    },
    { error: 'must be an object {method?, weights?, threshold?}' },
  )
  .optional();

export type MaxScoreValue = z.output<typeof maxScoreValue>;

const notPerOutput = (): AssertionOutcome => {
  throw new Error('a comparative assertion is graded across the outputs of its test row');
};

export const selectBest = defineAssertion({
  type: SELECT_BEST,
  description:
    'A grader picks the best of the outputs of one test row (across models and prompts) for the criteria; that output passes, the others fail',
  valueSchema: z.string({ error: 'must be the criteria text' }).max(10_000).default(''),
  callsModel: true,
  usesRubricPrompt: true,
  valueOrRubricPrompt: true,
  comparative: true,
  evaluate: notPerOutput,
});

export const maxScore = defineAssertion({
  type: MAX_SCORE,
  description:
    'The output of one test row with the highest (weighted) score of its other assertions passes, the others fail; value {method: average|sum, weights, threshold}',
  valueSchema: maxScoreValue,
  comparative: true,
  evaluate: notPerOutput,
});

/** promptfoo's message when a row has fewer than two outputs to compare. */
export function tooFewOutputs(type: string): AssertionOutcome {
  return {
    pass: false,
    score: 0,
    reason: `${type} assertion must have at least two outputs to compare between`,
  };
}

/** The grader prompt of `select-best` when the assertion has no `rubricPrompt`. */
export const SELECT_BEST_PROMPT = JSON.stringify([
  {
    role: 'system',
    content:
      'You compare several texts and choose the one that best fits these criteria: <criteria>{{criteria}}</criteria>\n\nThe texts:\n{% for output in outputs %}\n<Text index="{{ loop.index0 }}">\n{{ output }}\n</Text>\n{% endfor %}\n\nAnswer with the index of the text that best fits the criteria, a single integer and nothing else.',
  },
]);

/** The grader conversation of `select-best` for `outputs`, with the test's `vars`. */
export function selectBestMessages(
  criteria: string,
  outputs: readonly string[],
  vars: Readonly<Record<string, unknown>>,
  rubricPrompt: string | undefined,
): GraderMessage[] {
  return renderGraderPrompt(rubricPrompt ?? SELECT_BEST_PROMPT, {
    ...vars,
    criteria,
    outputs: outputs.map(asTemplateValue),
  });
}

/** The verdicts of `select-best` from the grader's `answer`, one per output, in order. */
export function selectBestVerdicts(
  criteria: string,
  outputs: number,
  answer: string,
): AssertionOutcome[] {
  const first = /\d+/.exec(answer.trim());
  const index = first === null ? Number.NaN : Number.parseInt(first[0], 10);
  if (!Number.isInteger(index) || index < 0 || index >= outputs) {
    const reason = `Invalid select-best verdict: ${Number.isNaN(index) ? 'NaN' : String(index)}`;
    return Array.from({ length: outputs }, () => ({ pass: false, score: 0, reason }));
  }
  return Array.from({ length: outputs }, (_, i) =>
    i === index
      ? { pass: true, score: 1, reason: `Output selected as the best: ${criteria}` }
      : { pass: false, score: 0, reason: `Output not selected: ${criteria}` },
  );
}

/**
 * The verdicts of `max-score`, one per output: `others[i]` are output i's results of its
 * non-comparative assertions. Without any such result every output fails (promptfoo's rule).
 */
export function maxScoreVerdicts(
  value: MaxScoreValue,
  others: readonly (readonly AssertionResult[])[],
): AssertionOutcome[] {
  if (others.length < 2) return others.map(() => tooFewOutputs(MAX_SCORE));
  if (others.some((r) => r.length === 0))
    return others.map(() => ({
      pass: false,
      score: 0,
      reason:
        'max-score requires at least one other assertion (besides max-score or select-* assertions) to aggregate scores from',
    }));
  const weights = value?.weights ?? {};
  const scores = others.map((results) => {
    let sum = 0;
    let total = 0;
    for (const r of results) {
      const weight = weights[r.type] ?? 1;
      sum += r.score * weight;
      total += weight;
    }
    return value?.method === 'sum' ? sum : total > 0 ? sum / total : 0;
  });
  let winner = 0;
  scores.forEach((s, i) => {
    if (s > (scores[winner] ?? -Infinity)) winner = i;
  });
  const best = scores[winner] ?? 0;
  const threshold = value?.threshold;
  const meets = threshold === undefined || best >= threshold;
  return scores.map((score, i) => {
    const selected = i === winner && meets;
    return {
      pass: selected,
      score: selected ? 1 : 0,
      reason: selected
        ? `Selected as highest scoring output (score: ${score.toFixed(3)})`
        : score === best && !meets
          ? `Not selected - score ${score.toFixed(3)} below threshold ${String(threshold)}`
          : `Not selected (score: ${score.toFixed(3)}, max: ${best.toFixed(3)})`,
    };
  });
}
