/**
 * promptfoo's `factuality`: the grader compares the output with the reference answer (the
 * value) for the prompt, as OpenAI evals' `fact` (see grader-prompts.ts), and names one of
 * five relations: (A) subset, (B) superset, (C) same details, (D) disagreement, (E) differs
 * without mattering for factuality. Each category has a score, by default 1 except
 * disagreement 0; a category passes when its score is above 0. promptfoo's per-category
 * options (`options.factuality: {subset, superset, agree, disagree, differButFactual}`) are
 * the assertion's `config.factuality`. The answer is read as `{"category": …}` or, as
 * promptfoo falls back to, a leading `(A)`; anything else is the result's error.
 * A custom `rubricPrompt` gets `input`, `ideal`, `completion` and the test's vars.
 * Source: https://www.promptfoo.dev/docs/configuration/expected-outputs/model-graded/factuality/
 */
import { z } from 'zod';
import { defineAssertion } from './assertion.js';
import { askGraderWith, GraderAnswerError, promptOf, varsOf } from './grader-conversation.js';
import { FACTUALITY } from './grader-prompts.js';
import { asTemplateValue, firstJsonObject } from './rubric-prompt.js';

const CATEGORIES = {
  A: { option: 'subset', score: 1, meaning: 'a subset of the reference, consistent with it' },
  B: { option: 'superset', score: 1, meaning: 'a superset of the reference, consistent with it' },
  C: { option: 'agree', score: 1, meaning: 'the same details as the reference' },
  D: { option: 'disagree', score: 0, meaning: 'disagrees with the reference' },
  E: { option: 'differButFactual', score: 1, meaning: 'differs in ways that do not matter' },
} as const;
type Category = keyof typeof CATEGORIES;

const categoryScore = z.number({ error: 'must be a number' }).min(0).max(1);
const configSchema = z.looseObject({
  factuality: z
    .strictObject({
      subset: categoryScore.optional(),
      superset: categoryScore.optional(),
      agree: categoryScore.optional(),
      disagree: categoryScore.optional(),
      differButFactual: categoryScore.optional(),
    })
    .optional(),
});

/** The category named in a grader's answer and its reason; undefined when none is. */
export function readFactualityAnswer(
  answer: string,
): { category: Category; reason: string } | undefined {
  const json = firstJsonObject(answer);
  if (typeof json?.category === 'string') {
    const category = json.category.trim().toUpperCase();
    if (!(category in CATEGORIES)) return undefined;
    const reason = typeof json.reason === 'string' ? json.reason.trim() : '';
    return { category: category as Category, reason };
  }
  const legacy = /^\s*\(?([a-eA-E])\)\s*([\s\S]*)$/.exec(answer);
  if (legacy === null) return undefined;
  return {
    category: (legacy[1] ?? 'A').toUpperCase() as Category,
    reason: (legacy[2] ?? '').trim(),
  };
}

export const factuality = defineAssertion({
  type: 'factuality',
  description:
    'The grader compares the output with the reference answer (OpenAI evals fact): passes unless they disagree (per-category scores in config.factuality)',
  valueSchema: z.string({ error: 'must be the reference answer' }).min(1, 'must not be empty'),
  configSchema,
  callsModel: true,
  usesRubricPrompt: true,
  async evaluate(value, _threshold, context) {
    const answer = await askGraderWith(context, context.rubricPrompt ?? FACTUALITY, {
      ...varsOf(context),
      input: promptOf(context, 'factuality'),
      ideal: value,
      completion: asTemplateValue(context.output),
    });
    const read = readFactualityAnswer(answer);
    if (read === undefined)
      throw new GraderAnswerError('factuality: the grader named no category A to E', answer);
    const { option, score: fallback, meaning } = CATEGORIES[read.category];
    const options = configSchema.parse(context.config ?? {}).factuality ?? {};
    const score = options[option] ?? fallback;
    return {
      pass: score > 0,
      score,
      reason: `Category ${read.category} (${meaning}): ${read.reason || 'no reason given'}`,
    };
  },
});
