/**
 * The check of a test case's `expected_output`: a result with an expected output is judged
 * against it as well as by its assertions. How the two texts are compared is the service's
 * `EXPECTED_OUTPUT_MATCH`:
 * - `exact`: identical strings;
 * - `trimmed` (default): identical after removing leading and trailing whitespace;
 * - `case-insensitive`: `trimmed`, ignoring case (Unicode lower case);
 * - `contains`: the output contains the expected text;
 * - `icontains`: `contains`, ignoring case.
 */
import { EXPECTED_OUTPUT_MATCHES } from '../config/index.js';
import { excerpt } from './assertion.js';
import type { AssertionResult } from './evaluate.js';

export { EXPECTED_OUTPUT_MATCHES };
export type ExpectedOutputMatch = (typeof EXPECTED_OUTPUT_MATCHES)[number];

/** The `type` of the check in a result's `assertions`. */
export const EXPECTED_OUTPUT_CHECK = 'expected_output';

function matches(expected: string, output: string, match: ExpectedOutputMatch): boolean {
  switch (match) {
    case 'exact':
      return output === expected;
    case 'trimmed':
      return output.trim() === expected.trim();
    case 'case-insensitive':
      return output.trim().toLowerCase() === expected.trim().toLowerCase();
    case 'contains':
      return output.includes(expected);
    case 'icontains':
      return output.toLowerCase().includes(expected.toLowerCase());
  }
}

/** Checks `output` against `expected` (weight 1, like an assertion without a weight). */
export function checkExpectedOutput(
  expected: string,
  output: string,
  match: ExpectedOutputMatch,
): AssertionResult {
  const pass = matches(expected, output, match);
  return {
    type: EXPECTED_OUTPUT_CHECK,
    pass,
    score: pass ? 1 : 0,
    weight: 1,
    reason: `Output ${pass ? 'matches' : 'does not match'} the expected output ${excerpt(expected, 40)} (${match}; output ${excerpt(output, 40)})`,
  };
}
