/**
 * Hashed word n-gram embeddings (unigrams and bigrams, signed feature hashing, L2-normalised).
 * This is a lexical similarity: texts that share words are close; paraphrases with different
 * words are not. It is what the simulated provider offers, documented as such.
 */
import { hash32 } from './prng.js';

export const HASHED_EMBEDDING_DIMENSIONS = 256;

export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function hashedEmbedding(text: string, dimensions = HASHED_EMBEDDING_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const tokens = words(text);
  const features = [...tokens, ...tokens.slice(1).map((w, i) => `${tokens[i] ?? ''} ${w}`)];
  for (const feature of features) {
    const h = hash32(feature);
    const index = h % dimensions;
    vector[index] = (vector[index] ?? 0) + (h >>> 31 === 1 ? -1 : 1);
  }
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
  return norm === 0 ? vector : vector.map((x) => x / norm);
}
