/**
 * promptfoo's `similar` and its metric variants: the output and the value are embedded with
 * the embedding model and compared.
 * - `similar`, `similar:cosine`: cosine similarity, passing when it reaches the threshold;
 * - `similar:dot`: the dot product (equal to cosine for normalised embeddings), likewise;
 * - `similar:euclidean`: the Euclidean distance, passing when it is at most the threshold;
 *   its score is 1 / (1 + distance).
 * The threshold defaults to 0.75 (promptfoo's). A list of values passes when the output is
 * similar enough to any of them (its score is the best one).
 * Source: https://www.promptfoo.dev/docs/configuration/expected-outputs/similar/
 */
import { z } from 'zod';
import { defineAssertion, type AssertionKind, type AssertionOutcome } from './assertion.js';

function checkSizes(a: readonly number[], b: readonly number[]): void {
  if (a.length !== b.length) throw new Error(`Embedding sizes differ: ${a.length} vs ${b.length}`);
}

/** Cosine similarity of two vectors; 0 when either is all zeros. */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  checkSizes(a, b);
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/** The dot product of two vectors. */
export function dotProduct(a: readonly number[], b: readonly number[]): number {
  checkSizes(a, b);
  return a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);
}

/** The Euclidean distance of two vectors. */
export function euclideanDistance(a: readonly number[], b: readonly number[]): number {
  checkSizes(a, b);
  return Math.sqrt(a.reduce((sum, x, i) => sum + (x - (b[i] ?? 0)) ** 2, 0));
}

type Metric = 'cosine' | 'dot' | 'euclidean';

function compare(
  metric: Metric,
  out: number[],
  ref: number[],
  threshold: number,
): AssertionOutcome {
  if (metric === 'euclidean') {
    const distance = euclideanDistance(out, ref);
    return {
      pass: distance <= threshold + Number.EPSILON,
      score: 1 / (1 + distance),
      reason: `Distance ${distance.toFixed(3)}; at most ${threshold} passes`,
    };
  }
  const similarity = metric === 'dot' ? dotProduct(out, ref) : cosineSimilarity(out, ref);
  return {
    pass: similarity >= threshold - Number.EPSILON,
    score: Math.min(1, Math.max(0, similarity)),
    reason: `Similarity ${similarity.toFixed(3)}; threshold ${threshold}`,
  };
}

function similarKind(type: string, metric: Metric, what: string): AssertionKind<string | string[]> {
  return defineAssertion({
    type,
    description: `${what} of output and value embeddings (default threshold 0.75); a list passes on any`,
    valueSchema: z.union(
      [
        z.string().min(1, 'must not be empty'),
        z.array(z.string().min(1, 'must not be empty')).min(1, 'must have a value').max(50),
      ],
      { error: 'must be the reference text or a list of them' },
    ),
    defaultThreshold: 0.75,
    callsModel: true,
    async evaluate(value, threshold, { output, embed, signal }) {
      const references = typeof value === 'string' ? [value] : value;
      const [outputVector, ...vectors] = await embed([output, ...references], signal);
      if (outputVector === undefined || vectors.length !== references.length)
        throw new Error('The embedding model returned fewer vectors than texts');
      const outcomes = vectors.map((v) => compare(metric, outputVector, v, threshold));
      const passed = outcomes.find((o) => o.pass);
      if (passed !== undefined || outcomes.length === 1) return passed ?? outcomes[0];
      const best = Math.max(...outcomes.map((o) => o.score));
      return {
        pass: false,
        score: best,
        reason: `None of ${outcomes.length} values is similar enough`,
      };
    },
  });
}

export const similar = similarKind('similar', 'cosine', 'Cosine similarity');
export const similarCosine = similarKind('similar:cosine', 'cosine', 'Cosine similarity');
export const similarDot = similarKind('similar:dot', 'dot', 'Dot product');
export const similarEuclidean = similarKind(
  'similar:euclidean',
  'euclidean',
  'Euclidean distance (at most the threshold)',
);
