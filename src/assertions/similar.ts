import { z } from 'zod';
import { defineAssertion } from './assertion.js';

/** Cosine similarity of two vectors; 0 when either is all zeros. */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`Embedding sizes differ: ${a.length} vs ${b.length}`);
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

export const similar = defineAssertion({
  type: 'similar',
  description:
    'Cosine similarity of output and value embeddings reaches the threshold (default 0.8)',
  valueSchema: z.string({ error: 'must be the reference text' }).min(1, 'must not be empty'),
  defaultThreshold: 0.8,
  callsModel: true,
  async evaluate(value, threshold, { output, embed, signal }) {
    const [outputVector, referenceVector] = await embed([output, value], signal);
    if (outputVector === undefined || referenceVector === undefined) {
      throw new Error('The embedding model returned fewer vectors than texts');
    }
    const similarity = cosineSimilarity(outputVector, referenceVector);
    const score = Math.min(1, Math.max(0, similarity));
    return {
      pass: score >= threshold,
      score,
      reason: `Similarity ${score.toFixed(3)}; threshold ${threshold}`,
    };
  },
});
