/**
 * promptfoo's `word-count`: the number of words (runs of non-whitespace) in the output equals
 * the value (a number, or a text holding one), or lies within `{min?, max?}` (inclusive).
 */
import { z } from 'zod';
import { binary, defineAssertion } from './assertion.js';

const count = z.number({ error: 'must be a number' }).nonnegative('must be at least 0');

const exact = z.union(
  [
    count,
    z
      .string()
      .trim()
      .regex(/^\d+(\.\d+)?$/, 'must be a number')
      .transform(Number),
  ],
  { error: 'must be a number or {min?, max?}' },
);

const range = z
  .strictObject({ min: count.optional(), max: count.optional() })
  .refine((r) => r.min !== undefined || r.max !== undefined, { message: 'needs min or max' })
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, {
    message: 'min must not exceed max',
  });

/** Words as promptfoo counts them: the output split on whitespace, empty pieces dropped. */
export function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => word !== '').length;
}

export const wordCount = defineAssertion({
  type: 'word-count',
  description: 'Number of words in the output equals the value, or lies within {min?, max?}',
  valueSchema: z.union([exact, range], { error: 'must be a number or {min?, max?}' }),
  evaluate(value, _threshold, { output }) {
    const words = countWords(output);
    if (typeof value === 'number')
      return binary(words === value, `Output has ${words} word(s); expected ${value}`);
    const pass =
      (value.min === undefined || words >= value.min) &&
      (value.max === undefined || words <= value.max);
    return binary(
      pass,
      `Output has ${words} word(s); allowed [${value.min ?? 0}, ${value.max ?? '∞'}]`,
    );
  },
});
