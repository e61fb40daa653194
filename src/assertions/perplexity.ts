/**
 * promptfoo's `perplexity` and `perplexity-score`, from the answer's token logprobs:
 * perplexity = exp(−mean logprob) (natural log, per output token).
 * - `perplexity` passes when perplexity ≤ threshold (any perplexity when the assertion gives
 *   no threshold, as promptfoo); score 1 on a pass, else 0.
 * - `perplexity-score`: score = 1 / (1 + perplexity), in (0, 1]; passes when it reaches the
 *   threshold (any score without one, as promptfoo).
 * The run asks OpenAI-compatible servers for logprobs (`logprobs: true`) when a test case has
 * one of these; a server that gives none makes the result an error naming that, never a pass.
 */
import { z } from 'zod';
import { binary, defineAssertion, type AssertionContext } from './assertion.js';

const noValue = z.undefined({ error: 'takes no value (use threshold)' });

function perplexityOf(context: AssertionContext, type: string): number {
  const logProbs = context.logProbs;
  if (logProbs === undefined || logProbs.length === 0)
    throw new Error(
      `${type} needs token logprobs and the model server returned none (OpenAI-compatible servers give them for logprobs: true; Ollama's native API and some servers do not)`,
    );
  const mean = logProbs.reduce((sum, p) => sum + p, 0) / logProbs.length;
  return Math.exp(-mean);
}

export const perplexity = defineAssertion({
  type: 'perplexity',
  description: 'Perplexity of the answer (from token logprobs) is at most the threshold',
  valueSchema: noValue,
  // Without a threshold any perplexity passes (promptfoo's rule): the default is no limit.
  defaultThreshold: Number.POSITIVE_INFINITY,
  thresholdMax: Number.MAX_VALUE,
  needsLogProbs: true,
  evaluate(_value, threshold, context) {
    const value = perplexityOf(context, 'perplexity');
    const pass = value <= threshold;
    return binary(
      pass,
      `Perplexity ${value.toFixed(2)} is ${pass ? 'at most' : 'greater than'} threshold ${threshold}`,
    );
  },
});

export const perplexityScore = defineAssertion({
  type: 'perplexity-score',
  description: 'Normalised perplexity 1/(1+perplexity) of the answer reaches the threshold',
  valueSchema: noValue,
  defaultThreshold: 0,
  needsLogProbs: true,
  evaluate(_value, threshold, context) {
    const score = 1 / (1 + perplexityOf(context, 'perplexity-score'));
    const pass = score >= threshold;
    return {
      pass,
      score,
      reason: `Perplexity score ${score.toFixed(4)} is ${pass ? 'at least' : 'less than'} threshold ${threshold}`,
    };
  },
});
