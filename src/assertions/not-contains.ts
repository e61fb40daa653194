import { z } from 'zod';
import { binary, defineAssertion, excerpt } from './assertion.js';

export const notContains = defineAssertion({
  type: 'not-contains',
  description: 'Output does not contain the value (case-sensitive)',
  valueSchema: z.string({ error: 'must be a string' }).min(1, 'must not be empty'),
  evaluate(value, _threshold, { output }) {
    const pass = !output.includes(value);
    return binary(pass, `Output ${pass ? 'does not contain' : 'contains'} ${excerpt(value)}`);
  },
});
