import { z } from 'zod';
import { binary, defineAssertion } from './assertion.js';

const bound = z
  .number({ error: 'must be a number' })
  .int('must be an integer')
  .nonnegative('must be at least 0');

const lengthRange = z
  .strictObject({ min: bound.optional(), max: bound.optional() }, { error: 'must be {min?, max?}' })
  .refine((r) => r.min !== undefined || r.max !== undefined, { message: 'needs min or max' })
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, {
    message: 'min must not exceed max',
  });

/** Length in characters (Unicode code points, so an emoji counts once). */
export const length = defineAssertion({
  type: 'length',
  description: 'Output length in characters lies within {min?, max?}',
  valueSchema: lengthRange,
  evaluate(value, _threshold, { output }) {
    const chars = [...output].length;
    const pass =
      (value.min === undefined || chars >= value.min) &&
      (value.max === undefined || chars <= value.max);
    const range = `[${value.min ?? 0}, ${value.max ?? '∞'}]`;
    return binary(pass, `Output has ${chars} characters; allowed ${range}`);
  },
});
