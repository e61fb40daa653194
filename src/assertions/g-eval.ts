/**
 * promptfoo's `g-eval`: G-Eval (Liu et al. 2023, see grader-prompts.ts). The grader first
 * writes evaluation steps for the criteria (`{"steps": [...]}`), then scores the output
 * against the prompt from 0 to 10 (`{"score": n, "reason": "…"}`); the score is n / 10 and
 * passes at the threshold (default 0.7). A list of criteria is judged one by one and passes on
 * the mean score. A custom `rubricPrompt` is an object `{steps, evaluate}` replacing either
 * template (variables as in grader-prompts.ts). An answer without the JSON asked for is the
 * result's error, not a verdict.
 * Source: https://www.promptfoo.dev/docs/configuration/expected-outputs/model-graded/g-eval/
 */
import { z } from 'zod';
import { defineAssertion, type AssertionContext } from './assertion.js';
import { askGraderWith, GraderAnswerError, promptOf, promptPart } from './grader-conversation.js';
import { GEVAL_EVALUATE, GEVAL_STEPS } from './grader-prompts.js';
import { asTemplateValue, firstJsonObject } from './rubric-prompt.js';

const MAX_SCORE = 10;

async function judge(
  criteria: string,
  context: AssertionContext,
): Promise<{ score: number; reason: string }> {
  const input = promptOf(context, 'g-eval');
  const stepsAnswer = await askGraderWith(
    context,
    promptPart(context.rubricPrompt, 'steps') ?? GEVAL_STEPS,
    { criteria },
  );
  const steps = firstJsonObject(stepsAnswer)?.steps;
  if (!Array.isArray(steps) || steps.length === 0 || !steps.every((s) => typeof s === 'string'))
    throw new GraderAnswerError(
      'g-eval: the grader proposed no steps as {"steps": [...]}',
      stepsAnswer,
    );
  const answer = await askGraderWith(
    context,
    promptPart(context.rubricPrompt, 'evaluate') ?? GEVAL_EVALUATE,
    {
      criteria,
      steps: steps.join('\n- '),
      maxScore: String(MAX_SCORE),
      input: asTemplateValue(input),
      output: asTemplateValue(context.output),
    },
  );
  const verdict = firstJsonObject(answer);
  const raw = verdict?.score;
  const score = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(score) || score < 0 || score > MAX_SCORE)
    throw new GraderAnswerError(`g-eval: the grader gave no score from 0 to ${MAX_SCORE}`, answer);
  return {
    score: score / MAX_SCORE,
    reason: typeof verdict?.reason === 'string' ? verdict.reason : '',
  };
}

export const gEval = defineAssertion({
  type: 'g-eval',
  description:
    'G-Eval: the grader writes evaluation steps for the criteria, then scores the output 0–10; passes at the threshold (default 0.7)',
  valueSchema: z.union(
    [
      z.string().min(1, 'must not be empty').max(10_000),
      z.array(z.string().min(1).max(10_000)).min(1, 'must have a criterion').max(20),
    ],
    { error: 'must be the criteria: a text or a list of texts' },
  ),
  defaultThreshold: 0.7,
  callsModel: true,
  usesRubricPrompt: true,
  async evaluate(value, threshold, context) {
    const criteria = typeof value === 'string' ? [value] : value;
    const judged = [];
    for (const c of criteria) judged.push(await judge(c, context));
    const score = judged.reduce((sum, j) => sum + j.score, 0) / judged.length;
    return {
      pass: score >= threshold,
      score,
      reason: `G-Eval ${score.toFixed(2)} (threshold ${threshold}): ${judged.map((j) => j.reason).join(' / ')}`,
    };
  },
});
