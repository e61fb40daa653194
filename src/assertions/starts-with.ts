import { z } from 'zod';
import { binary, defineAssertion, excerpt } from './assertion.js';

/** Leading whitespace of the output is ignored: models often open with a newline. */
export const startsWith = defineAssertion({
  type: 'starts-with',
  description: 'Output starts with the value, ignoring leading whitespace',
  valueSchema: z.string({ error: 'must be a string' }).min(1, 'must not be empty'),
  evaluate(value, _threshold, { output }) {
    const pass = output.trimStart().startsWith(value);
    return binary(pass, `Output ${pass ? 'starts' : 'does not start'} with ${excerpt(value)}`);
  },
});
