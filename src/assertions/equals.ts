import { z } from 'zod';
import { binary, defineAssertion, excerpt } from './assertion.js';

/** Exact match after trimming surrounding whitespace (models often end with a newline). */
export const equals = defineAssertion({
  type: 'equals',
  description: 'Output equals the value, ignoring surrounding whitespace',
  valueSchema: z.string({ error: 'must be a string' }),
  evaluate(value, _threshold, { output }) {
    const pass = output.trim() === value.trim();
    return binary(
      pass,
      pass
        ? 'Output equals the expected text'
        : `Expected ${excerpt(value)}, got ${excerpt(output)}`,
    );
  },
});
