/**
 * Shared pieces of the reference-text metrics (`bleu`, `gleu`, `meteor`, `rouge-n`,
 * `levenshtein`): the value schemas and promptfoo's n-gram helper.
 */
import { z } from 'zod';

/** One reference text, or a list of them (the best-matching reference counts), as promptfoo takes it. */
export const referencesSchema = z
  .union(
    [z.string().min(1, 'must not be empty'), z.array(z.string()).min(1, 'must not be empty')],
    {
      error: 'must be a reference text or a list of reference texts',
    },
  )
  .transform((v) => (Array.isArray(v) ? v : [v]));

/** One reference text (promptfoo's `levenshtein` and `rouge-n` take no list). */
export const referenceSchema = z.string({ error: 'must be the reference text' });

/**
 * The contiguous n-grams of a word list, each joined by one space (promptfoo's `getNGrams`);
 * empty when `n` is not in 1..words.length.
 */
export function nGrams(words: readonly string[], n: number): string[] {
  if (n <= 0 || n > words.length) return [];
  const grams: string[] = [];
  for (let i = 0; i <= words.length - n; i++) grams.push(words.slice(i, i + n).join(' '));
  return grams;
}

/** How many times each n-gram occurs. */
export function countGrams(grams: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const gram of grams) counts.set(gram, (counts.get(gram) ?? 0) + 1);
  return counts;
}

/** Σ over the candidate's n-grams of min(count in candidate, count in reference). */
export function clippedMatches(candidate: readonly string[], reference: readonly string[]): number {
  const refCounts = countGrams(reference);
  let matched = 0;
  for (const [gram, count] of countGrams(candidate))
    matched += Math.min(count, refCounts.get(gram) ?? 0);
  return matched;
}

/** A metric's verdict: pass when `score ≥ threshold`, with promptfoo's reason wording. */
export function thresholdOutcome(name: string, score: number, threshold: number) {
  const pass = score >= threshold;
  return {
    pass,
    score,
    reason: `${name} score ${score.toFixed(4)} is ${pass ? 'at least' : 'less than'} threshold ${threshold}`,
  };
}
