/**
 * promptfoo's `model-graded-closedqa`: the grader decides whether the output, as an answer to
 * the prompt, meets the criterion (the value), as OpenAI evals' `closedqa` (see
 * grader-prompts.ts): it reasons, then ends with `Y` or `N`. Passes on a final `Y` (score 1),
 * fails on a final `N`; an answer ending in neither is the result's error (promptfoo reports
 * it as a malformed grader response). A custom `rubricPrompt` gets `input`, `criteria`,
 * `completion` and the test's vars.
 * Source: https://www.promptfoo.dev/docs/configuration/expected-outputs/model-graded/model-graded-closedqa/
 */
import { z } from 'zod';
import { binary, defineAssertion } from './assertion.js';
import { askGraderWith, GraderAnswerError, promptOf, varsOf } from './grader-conversation.js';
import { CLOSED_QA } from './grader-prompts.js';
import { asTemplateValue } from './rubric-prompt.js';

export const modelGradedClosedQa = defineAssertion({
  type: 'model-graded-closedqa',
  description:
    'The grader decides whether the output meets the criterion (OpenAI evals closedqa): its answer ends in Y or N',
  valueSchema: z.string({ error: 'must be the criterion' }).min(1, 'must not be empty'),
  callsModel: true,
  usesRubricPrompt: true,
  async evaluate(value, _threshold, context) {
    const answer = await askGraderWith(context, context.rubricPrompt ?? CLOSED_QA, {
      ...varsOf(context),
      input: promptOf(context, 'model-graded-closedqa'),
      criteria: value,
      completion: asTemplateValue(context.output),
    });
    const end = answer.trimEnd();
    if (end.endsWith('Y'))
      return binary(true, `The output meets the criterion: ${end.slice(-300)}`);
    if (end.endsWith('N'))
      return binary(false, `The output does not meet the criterion: ${end.slice(-300)}`);
    throw new GraderAnswerError(
      'model-graded-closedqa: the answer ends in neither Y nor N',
      answer,
    );
  },
});
