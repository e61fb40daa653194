import { z } from 'zod';
import { binary, defineAssertion, excerpt } from './assertion.js';

/** A JavaScript regular expression source; compiled at validation so a bad pattern is a 422. */
const pattern = z
  .string({ error: 'must be a regular expression' })
  .min(1, 'must not be empty')
  .max(1000, 'must be at most 1000 characters')
  .refine(
    (source) => {
      try {
        new RegExp(source, 'u');
        return true;
      } catch {
        return false;
      }
    },
    { message: 'is not a valid regular expression' },
  );

export const regex = defineAssertion({
  type: 'regex',
  description: 'Output matches the regular expression (JavaScript syntax, unicode mode)',
  valueSchema: pattern,
  evaluate(value, _threshold, { output }) {
    const pass = new RegExp(value, 'u').test(output);
    return binary(
      pass,
      `Output ${pass ? 'matches' : 'does not match'} /${value}/ (output ${excerpt(output, 40)})`,
    );
  },
});
