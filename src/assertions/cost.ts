import { z } from 'zod';
import { binary, defineAssertion } from './assertion.js';

/** Fails when the cost is unknown: a budget cannot be proven met without a price. */
export const cost = defineAssertion({
  type: 'cost',
  description: 'The model call cost at most the value, in USD (fails when the price is unknown)',
  valueSchema: z.number({ error: 'must be a number of USD' }).nonnegative('must be at least 0'),
  evaluate(value, _threshold, { costUsd }) {
    if (costUsd === null)
      return binary(false, 'Cost unknown: the model has no price in MODEL_PRICES');
    const pass = costUsd <= value;
    return binary(pass, `Cost ${costUsd.toFixed(6)} USD; allowed ${value} USD`);
  },
});
