/**
 * Percentile bootstrap interval of a mean over units (test cases), with a seeded generator so
 * the same two runs always give the same interval. Used when a run repeats its test cases:
 * each unit's value is its pass-rate difference, and resampling whole test cases keeps the
 * repetitions of one case together (they are not independent).
 * Source: Efron & Tibshirani, "An Introduction to the Bootstrap" (1993), ch. 13.
 */

/** mulberry32: a small, fast 32-bit PRNG; quality is ample for resampling indices. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

/** The (1 − alpha) percentile interval of the mean of `values`; undefined when empty. */
export function bootstrapMeanInterval(
  values: readonly number[],
  alpha: number,
  resamples = 2000,
  seed = 1,
): Interval | undefined {
  if (values.length === 0) return undefined;
  const random = mulberry32(seed);
  const means: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < values.length; i++)
      sum += values[Math.floor(random() * values.length)] ?? 0;
    means.push(sum / values.length);
  }
  means.sort((a, b) => a - b);
  const at = (q: number) =>
    means[Math.min(means.length - 1, Math.max(0, Math.floor(q * means.length)))] ?? 0;
  return { lower: at(alpha / 2), upper: at(1 - alpha / 2) };
}
