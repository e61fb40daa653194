import { z } from 'zod';
import { binary, defineAssertion } from './assertion.js';

export const latency = defineAssertion({
  type: 'latency',
  description: 'The model call took at most the value, in milliseconds',
  valueSchema: z.number({ error: 'must be a number of milliseconds' }).positive('must be positive'),
  evaluate(value, _threshold, { latencyMs }) {
    const pass = latencyMs <= value;
    return binary(pass, `Latency ${Math.round(latencyMs)} ms; allowed ${value} ms`);
  },
});
