/** Cost of one call from the per-model price table (USD per 1M tokens). Unknown → null, never 0. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
}

export function callCost(
  price: ModelPrice | undefined,
  inputTokens: number | null,
  outputTokens: number | null,
): number | null {
  if (price === undefined || inputTokens === null || outputTokens === null) return null;
  return (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
}
