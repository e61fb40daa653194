/**
 * promptfoo's `levenshtein`: the edit distance between the output and the value is at most the
 * threshold (default 5 edits; promptfoo's threshold here counts characters, not a 0–1 score).
 * Distance by `fastest-levenshtein` (the library promptfoo uses). The score is 1 on a pass and
 * 0 on a failure, as promptfoo gives it.
 */
import { distance } from 'fastest-levenshtein';
import { binary, defineAssertion } from './assertion.js';
import { referenceSchema } from './references.js';

export const levenshtein = defineAssertion({
  type: 'levenshtein',
  description: 'Edit distance between output and value is at most the threshold (default 5 edits)',
  valueSchema: referenceSchema,
  defaultThreshold: 5,
  thresholdMax: Number.MAX_SAFE_INTEGER,
  evaluate(value, threshold, { output }) {
    const edits = distance(output, value);
    return binary(
      edits <= threshold,
      `Levenshtein distance ${edits} is ${edits <= threshold ? 'at most' : 'greater than'} threshold ${threshold}`,
    );
  },
});
