/**
 * Prices of common OpenAI models, USD per 1M input and output tokens, so promptfoo's `cost`
 * assertion works without configuration. Source: OpenAI's published API pricing
 * (https://openai.com/api/pricing), standard tier, as of 2025-08 (gpt-5.1 and gpt-5.2 as of
 * 2025-12); promptfoo 0.121 ships the same figures. `MODEL_PRICES` overrides any of them. A dated snapshot (e.g. `gpt-4o-2024-08-06`)
 * takes the price of its model; a model not listed has no price and `cost` fails naming it.
 */
import type { ModelPrice } from '../providers/index.js';
import type { PlannedProvider } from '../suites/index.js';

export const OPENAI_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-5.2': { input: 1.75, output: 14 },
  'gpt-5.1': { input: 1.25, output: 10 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4-turbo': { input: 10, output: 30 },
  'gpt-4': { input: 30, output: 60 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  o1: { input: 15, output: 60 },
  'o1-mini': { input: 1.1, output: 4.4 },
  o3: { input: 2, output: 8 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
};

/** The price of an OpenAI model name (a dated snapshot falls back to its model). */
export function openAiPrice(model: string): ModelPrice | undefined {
  const name = model.replace(/^chat:/, '');
  return OPENAI_PRICES[name] ?? OPENAI_PRICES[name.replace(/-\d{4}-\d{2}-\d{2}$|-\d{4}$/, '')];
}

/**
 * The price table of a suite's run: each OpenAI-compatible provider and the grader priced by
 * its model name, then `configured` (MODEL_PRICES) over them.
 */
export function suitePrices(
  providers: readonly PlannedProvider[],
  grader: string | undefined,
  configured: Readonly<Record<string, ModelPrice>>,
): Record<string, ModelPrice> {
  const table: Record<string, ModelPrice> = {};
  for (const p of providers) {
    const price = p.backend === 'openai' ? openAiPrice(p.model) : undefined;
    if (price !== undefined) table[p.modelId] = price;
  }
  if (grader?.startsWith('openai:') === true) {
    const price = openAiPrice(grader.slice('openai:'.length));
    if (price !== undefined) table[grader] = price;
  }
  return { ...table, ...configured };
}
