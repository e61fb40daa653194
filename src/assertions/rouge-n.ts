/**
 * promptfoo's `rouge-n`: ROUGE-N (unigram F-measure by default) of the output against the
 * reference, passing at ≥ threshold (default 0.75). Computed by `js-rouge`'s `n` with its
 * defaults, as promptfoo does (Lin, "ROUGE: A Package for Automatic Evaluation of Summaries",
 * ACL 2004 workshop, https://aclanthology.org/W04-1013).
 */
import { n as rougeN } from 'js-rouge';
import { defineAssertion } from './assertion.js';
import { referenceSchema, thresholdOutcome } from './references.js';

export const rouge = defineAssertion({
  type: 'rouge-n',
  description:
    'ROUGE-N score of the output against the reference reaches the threshold (default 0.75)',
  valueSchema: referenceSchema.min(1, 'must not be empty'),
  defaultThreshold: 0.75,
  evaluate(value, threshold, { output }) {
    return thresholdOutcome('ROUGE-N', rougeN(output, value, {}), threshold);
  },
});
