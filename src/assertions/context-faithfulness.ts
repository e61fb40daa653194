/**
 * promptfoo's `context-faithfulness` (RAGAS faithfulness, see grader-prompts.ts): the share
 * of the output's statements that the retrieved context supports. The grader first breaks
 * the output into statements (one per line), then gives a verdict per statement; they are read
 * after "Final verdict for each statement in order:" (`Yes.`/`No.` each), else by counting
 * `Verdict: Yes`/`Verdict: No`; a statement without a verdict counts as unsupported. Passes
 * at the threshold (default 0). Needs the `query` variable. An answer with no statement or no
 * verdict is the result's error. A custom `rubricPrompt` is a list of two templates
 * (statements: `question`, `answer`; verdicts: `context`, `statements`), each a text or a
 * message with `content`.
 * Source: https://www.promptfoo.dev/docs/configuration/expected-outputs/model-graded/context-faithfulness/
 */
import { z } from 'zod';
import { defineAssertion } from './assertion.js';
import {
  askGraderWith,
  GraderAnswerError,
  lines,
  promptPart,
  varsOf,
} from './grader-conversation.js';
import {
  FAITHFULNESS_STATEMENTS,
  FAITHFULNESS_VERDICTS,
  FINAL_VERDICTS,
} from './grader-prompts.js';
import { asTemplateValue } from './rubric-prompt.js';
import { queryOf, retrievedContext } from './retrieved-context.js';

/** Supported statements of `count`, read from a verdict answer; undefined when it holds none. */
export function readVerdicts(answer: string, count: number): number | undefined {
  const text = answer.toLowerCase();
  const final = FINAL_VERDICTS.toLowerCase();
  const at = text.indexOf(final);
  if (at !== -1) {
    const verdicts = text
      .slice(at + final.length)
      .split('.')
      .filter((v) => v.trim() !== '');
    if (verdicts.length === 0 || !verdicts.every((v) => /\b(?:yes|no)\b/.test(v))) return undefined;
    return Math.min(count, verdicts.filter((v) => v.includes('yes')).length);
  }
  const yes = text.split('verdict: yes').length - 1;
  const no = text.split('verdict: no').length - 1;
  return yes + no === 0 ? undefined : Math.min(count, yes);
}

export const contextFaithfulness = defineAssertion({
  type: 'context-faithfulness',
  description:
    "RAGAS faithfulness: the share of the output's statements the retrieved context supports reaches the threshold (default 0)",
  valueSchema: z.unknown().refine((v) => v === undefined, 'is not used by context-faithfulness'),
  defaultThreshold: 0,
  callsModel: true,
  usesRubricPrompt: true,
  usesContext: true,
  async evaluate(_value, threshold, context) {
    const query = queryOf(context, 'context-faithfulness');
    const retrieved = await retrievedContext(context, 'context-faithfulness');
    const listed = await askGraderWith(
      context,
      promptPart(context.rubricPrompt, 0) ?? FAITHFULNESS_STATEMENTS,
      { ...varsOf(context), question: query, answer: asTemplateValue(context.output) },
    );
    const statements = lines(listed);
    if (statements.length === 0)
      throw new GraderAnswerError('context-faithfulness: the grader listed no statement', listed);
    const answer = await askGraderWith(
      context,
      promptPart(context.rubricPrompt, 1) ?? FAITHFULNESS_VERDICTS,
      { ...varsOf(context), context: retrieved.text, statements },
    );
    const supported = readVerdicts(answer, statements.length);
    if (supported === undefined)
      throw new GraderAnswerError(
        'context-faithfulness: the grader gave no Yes/No verdicts',
        answer,
      );
    const score = supported / statements.length;
    return {
      pass: score >= threshold,
      score,
      reason: `Faithfulness ${score.toFixed(2)} (${supported} of ${statements.length} statements supported); threshold ${threshold}`,
    };
  },
});
