import { z } from 'zod';
import { binary, defineAssertion, excerpt } from './assertion.js';

export const icontains = defineAssertion({
  type: 'icontains',
  description: 'Output contains the value, ignoring case',
  valueSchema: z.string({ error: 'must be a string' }).min(1, 'must not be empty'),
  evaluate(value, _threshold, { output }) {
    const pass = output.toLocaleLowerCase().includes(value.toLocaleLowerCase());
    return binary(
      pass,
      `Output ${pass ? 'contains' : 'does not contain'} ${excerpt(value)} (any case)`,
    );
  },
});
