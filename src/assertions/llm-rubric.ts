/**
 * `llm-rubric`: a grader model judges the output against the rubric. With the grader's own
 * prompt it answers a score, passing at the threshold (default 0.5). With a custom
 * `rubricPrompt` (promptfoo's) the prompt is rendered and the answer read as promptfoo reads it
 * (see rubric-prompt.ts): its `pass`, and `score >= threshold` only when a threshold is given.
 * A grader answer without a JSON object fails the assertion with a custom prompt (as
 * promptfoo), and cannot be evaluated with the grader's own prompt (thrown: the result's error).
 */
import { z } from 'zod';
import { defineAssertion } from './assertion.js';
import { readRubricAnswer, renderRubricPrompt } from './rubric-prompt.js';

export const llmRubric = defineAssertion({
  type: 'llm-rubric',
  description:
    'A grader model scores the output against the rubric; passes at the threshold (default 0.5)',
  // promptfoo allows no value when a custom rubricPrompt says everything (the rubric is empty).
  valueSchema: z.string({ error: 'must be the rubric text' }).max(10_000).default(''),
  defaultThreshold: 0.5,
  callsModel: true,
  usesRubricPrompt: true,
  valueOrRubricPrompt: true,
  async evaluate(value, threshold, context) {
    const { output, grade, signal, rubricPrompt, askGrader } = context;
    if (rubricPrompt !== undefined) {
      if (askGrader === undefined)
        throw new Error('a custom rubricPrompt cannot be sent to the grader here');
      const messages = renderRubricPrompt(rubricPrompt, value, output, context.vars ?? {});
      const answer = await askGrader(messages, signal);
      const read = readRubricAnswer(answer);
      // promptfoo fails the assertion (not an error) when the answer holds no JSON.
      if (read === undefined)
        return {
          pass: false,
          score: 0,
          reason: `Grader: the answer holds no JSON object: ${answer.slice(0, 200)}`,
        };
      const given = context.ownThreshold;
      const pass = read.pass && (given === undefined || read.score >= given);
      return {
        pass,
        score: Math.min(1, Math.max(0, read.score)),
        reason: `Grader: ${read.reason || (pass ? 'passed' : `score ${read.score} below threshold ${given ?? ''}`)}`,
      };
    }
    const { score, reason } = await grade(value, output, signal);
    const clamped = Math.min(1, Math.max(0, score));
    return {
      pass: clamped >= threshold,
      score: clamped,
      reason: `Grader: ${clamped.toFixed(2)} — ${reason}`,
    };
  },
});
