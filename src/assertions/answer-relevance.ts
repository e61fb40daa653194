/**
 * promptfoo's `answer-relevance` (RAGAS answer relevance, see grader-prompts.ts): the grader
 * writes the question the output answers, three times; each question and the real one (the
 * `query` variable, else the prompt) are embedded, and the score is the mean cosine
 * similarity, passing at the threshold (default 0.7, promptfoo's). Uses both the grader and
 * the embedding model. A custom `rubricPrompt` replaces the question template (`answer`).
 * Source: https://www.promptfoo.dev/docs/configuration/expected-outputs/model-graded/answer-relevance/
 */
import { z } from 'zod';
import { defineAssertion } from './assertion.js';
import { askGraderWith, GraderAnswerError, promptOf } from './grader-conversation.js';
import { ANSWER_RELEVANCE_QUESTION } from './grader-prompts.js';
import { asTemplateValue } from './rubric-prompt.js';
import { cosineSimilarity } from './similar.js';

const QUESTIONS = 3;

export const answerRelevance = defineAssertion({
  type: 'answer-relevance',
  description:
    'RAGAS answer relevance: questions the grader derives from the output, embedded, are as similar to the query as the threshold (default 0.7)',
  valueSchema: z.unknown().refine((v) => v === undefined, 'is not used by answer-relevance'),
  defaultThreshold: 0.7,
  callsModel: true,
  usesRubricPrompt: true,
  async evaluate(_value, threshold, context) {
    const query =
      typeof context.vars?.query === 'string'
        ? context.vars.query
        : promptOf(context, 'answer-relevance');
    const template = context.rubricPrompt ?? ANSWER_RELEVANCE_QUESTION;
    const questions: string[] = [];
    for (let i = 0; i < QUESTIONS; i++) {
      const question = (
        await askGraderWith(context, template, { answer: asTemplateValue(context.output) })
      ).trim();
      if (question === '')
        throw new GraderAnswerError('answer-relevance: the grader wrote no question', question);
      questions.push(question);
    }
    const [asked, ...derived] = await context.embed([query, ...questions], context.signal);
    if (asked === undefined || derived.length !== questions.length)
      throw new Error('The embedding model returned fewer vectors than texts');
    const similarities = derived.map((v) => cosineSimilarity(asked, v));
    const mean = similarities.reduce((sum, s) => sum + s, 0) / similarities.length;
    const score = Math.min(1, Math.max(0, mean));
    return {
      pass: mean >= threshold,
      score,
      reason: `Relevance ${mean.toFixed(2)}; threshold ${threshold}; questions: ${questions.map((q) => JSON.stringify(q.slice(0, 80))).join(', ')}`,
    };
  },
});
