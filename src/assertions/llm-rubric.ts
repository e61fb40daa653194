import { z } from 'zod';
import { defineAssertion } from './assertion.js';

export const llmRubric = defineAssertion({
  type: 'llm-rubric',
  description:
    'A grader model scores the output against the rubric; passes at the threshold (default 0.5)',
  valueSchema: z
    .string({ error: 'must be the rubric text' })
    .min(1, 'must not be empty')
    .max(10_000),
  defaultThreshold: 0.5,
  callsModel: true,
  async evaluate(value, threshold, { output, grade, signal }) {
    const { score, reason } = await grade(value, output, signal);
    const clamped = Math.min(1, Math.max(0, score));
    return {
      pass: clamped >= threshold,
      score: clamped,
      reason: `Grader: ${clamped.toFixed(2)} — ${reason}`,
    };
  },
});
