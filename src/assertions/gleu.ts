/**
 * promptfoo's `gleu`: Google-BLEU of the output against one or more references, passing at
 * ≥ threshold (default 0.5).
 *
 * GLEU = min(precision, recall) over all 1..4-grams taken together (Wu et al., "Google's
 * Neural Machine Translation System", 2016, §8, https://arxiv.org/abs/1609.08144), the best
 * reference counting, as promptfoo's src/assertions/gleu.ts computes it: words are the
 * lower-cased, trimmed text split on whitespace with trailing dots removed; a word-for-word
 * identical reference scores 1; an empty output scores 0.
 */
import { defineAssertion } from './assertion.js';
import { clippedMatches, nGrams, referencesSchema, thresholdOutcome } from './references.js';

const words = (text: string) =>
  text
    .toLowerCase()
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/\.+$/, ''));

function againstOne(cand: readonly string[], ref: readonly string[]): number {
  if (cand.length === ref.length && cand.every((w, i) => w === ref[i])) return 1;
  let matched = 0;
  let candTotal = 0;
  let refTotal = 0;
  for (let n = 1; n <= 4; n++) {
    const c = nGrams(cand, n);
    const r = nGrams(ref, n);
    matched += clippedMatches(c, r);
    candTotal += c.length;
    refTotal += r.length;
  }
  if (candTotal === 0 || refTotal === 0) return 0;
  return Math.min(matched / candTotal, matched / refTotal);
}

/** GLEU in [0, 1] of `candidate` against the best of `references`. */
export function gleuScore(candidate: string, references: readonly string[]): number {
  if (candidate.trim() === '' || references.length === 0) return 0;
  const cand = words(candidate);
  return Math.max(...references.map((r) => againstOne(cand, words(r))));
}

export const gleu = defineAssertion({
  type: 'gleu',
  description:
    'GLEU (Google-BLEU) score of the output against the reference(s) reaches the threshold (default 0.5)',
  valueSchema: referencesSchema,
  defaultThreshold: 0.5,
  evaluate(references, threshold, { output }) {
    return thresholdOutcome('GLEU', gleuScore(output, references), threshold);
  },
});
