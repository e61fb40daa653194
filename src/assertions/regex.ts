import { z } from 'zod';
import { binary, defineAssertion, excerpt } from './assertion.js';
import { linearRegexProblem, testLinear } from '../util/index.js';

/**
 * A pattern in RE2 syntax (linear-time matching: see `util/linear-regex.ts`); compiled at
 * validation, so a pattern the engine cannot run (a backreference, a lookaround, a syntax
 * error) is a 422 on `assertions.N.value` when the test case is written.
 */
const pattern = z
  .string({ error: 'must be a regular expression' })
  .min(1, 'must not be empty')
  .max(1000, 'must be at most 1000 characters')
  .superRefine((source, ctx) => {
    const problem = linearRegexProblem(source);
    if (problem !== undefined)
      ctx.addIssue({
        code: 'custom',
        message: `is not a regular expression the linear-time (RE2) engine can run: ${problem}`,
      });
  });

export const regex = defineAssertion({
  type: 'regex',
  description:
    'Output matches the regular expression (RE2 syntax, linear time: no backreferences or lookaround; flags inline, e.g. (?i))',
  valueSchema: pattern,
  evaluate(value, _threshold, { output }) {
    const pass = testLinear(value, output);
    return binary(
      pass,
      `Output ${pass ? 'matches' : 'does not match'} /${value}/ (output ${excerpt(output, 40)})`,
    );
  },
});
