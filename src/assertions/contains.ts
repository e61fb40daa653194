import { z } from 'zod';
import { binary, defineAssertion, excerpt } from './assertion.js';

export const contains = defineAssertion({
  type: 'contains',
  description: 'Output contains the value (case-sensitive)',
  valueSchema: z.string({ error: 'must be a string' }).min(1, 'must not be empty'),
  evaluate(value, _threshold, { output }) {
    const pass = output.includes(value);
    return binary(pass, `Output ${pass ? 'contains' : 'does not contain'} ${excerpt(value)}`);
  },
});
