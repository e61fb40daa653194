/**
 * promptfoo's `bleu`: sentence BLEU of the output against one or more references, passing at
 * ≥ threshold (default 0.5).
 *
 * BLEU = BP · exp(Σₙ wₙ · log pₙ), n = 1..4, wₙ = 0.25 (Papineni, Roukos, Ward & Zhu, "BLEU: a
 * method for automatic evaluation of machine translation", ACL 2002,
 * https://doi.org/10.3115/1073083.1073135), computed as promptfoo's src/assertions/bleu.ts does:
 * - words: lower-cased, trimmed text split on whitespace;
 * - pₙ: clipped n-gram matches / candidate n-grams, taking the reference with the most clipped
 *   matches for each n; a pₙ of 0 counts as 1e-7 (smoothing);
 * - BP: 1 when the candidate is longer than the reference of closest length, else
 *   exp(1 − c/r).
 * An empty output scores 0.
 */
import { defineAssertion } from './assertion.js';
import { clippedMatches, nGrams, referencesSchema, thresholdOutcome } from './references.js';

const words = (text: string) => text.toLowerCase().trim().split(/\s+/);

/** BLEU in [0, 1] of `candidate` against `references` (at least one). */
export function bleuScore(candidate: string, references: readonly string[]): number {
  if (candidate === '' || references.length === 0) return 0;
  const cand = words(candidate);
  const refs = references.map(words);
  const closest = refs
    .map((r) => r.length)
    .reduce((prev, curr) =>
      Math.abs(curr - cand.length) < Math.abs(prev - cand.length) ? curr : prev,
    );
  let logSum = 0;
  for (let n = 1; n <= 4; n++) {
    const grams = nGrams(cand, n);
    const best = Math.max(0, ...refs.map((r) => clippedMatches(grams, nGrams(r, n))));
    const precision = grams.length > 0 ? best / grams.length : 0;
    logSum += 0.25 * Math.log(precision === 0 ? 1e-7 : precision);
  }
  const brevity = cand.length > closest ? 1 : Math.exp(1 - cand.length / closest);
  return brevity * Math.exp(logSum);
}

export const bleu = defineAssertion({
  type: 'bleu',
  description:
    'BLEU score (1–4-grams) of the output against the reference(s) reaches the threshold (default 0.5)',
  valueSchema: referencesSchema,
  defaultThreshold: 0.5,
  evaluate(references, threshold, { output }) {
    return thresholdOutcome('BLEU', bleuScore(output, references), threshold);
  },
});
