/**
 * promptfoo's `context-recall` (RAGAS context recall, see grader-prompts.ts): the share of
 * the reference answer's sentences (the value) that the retrieved context supports. The
 * grader lists each sentence with `[Attributed]` or `[Not Attributed]`; lines with neither
 * mark are preamble and not counted. Passes at the threshold (default 0). An answer with no
 * marked line is the result's error. The context is the `context` variable, a
 * `contextTransform`'s result, or else the prompt. A custom `rubricPrompt` gets `context`,
 * `groundTruth` and the test's vars.
 * Source: https://www.promptfoo.dev/docs/configuration/expected-outputs/model-graded/context-recall/
 */
import { z } from 'zod';
import { defineAssertion } from './assertion.js';
import { askGraderWith, GraderAnswerError, lines, varsOf } from './grader-conversation.js';
import { CONTEXT_RECALL } from './grader-prompts.js';
import { retrievedContext } from './retrieved-context.js';

/** The marked lines of a recall answer: how many, and how many attributed. */
export function readRecallAnswer(answer: string): { total: number; attributed: number } {
  let total = 0;
  let attributed = 0;
  for (const line of lines(answer).map((l) => l.toLowerCase())) {
    const not = line.includes('[not attributed]');
    if (!not && !line.includes('[attributed]')) continue;
    total++;
    if (!not) attributed++;
  }
  return { total, attributed };
}

export const contextRecall = defineAssertion({
  type: 'context-recall',
  description:
    'RAGAS context recall: the share of the reference answer the retrieved context supports reaches the threshold (default 0)',
  valueSchema: z.string({ error: 'must be the reference answer' }).min(1, 'must not be empty'),
  defaultThreshold: 0,
  callsModel: true,
  usesRubricPrompt: true,
  usesContext: true,
  async evaluate(value, threshold, context) {
    const retrieved = await retrievedContext(context, 'context-recall', context.prompt);
    const answer = await askGraderWith(context, context.rubricPrompt ?? CONTEXT_RECALL, {
      ...varsOf(context),
      context: retrieved.text,
      groundTruth: value,
    });
    const { total, attributed } = readRecallAnswer(answer);
    if (total === 0)
      throw new GraderAnswerError(
        'context-recall: the grader marked no sentence [Attributed] or [Not Attributed]',
        answer,
      );
    const score = attributed / total;
    return {
      pass: score >= threshold,
      score,
      reason: `Recall ${score.toFixed(2)} (${attributed} of ${total} sentences attributed); threshold ${threshold}`,
    };
  },
});
