/**
 * M4's Naive2 benchmark, the reference of OWA: a naive forecast of the series after a classical
 * multiplicative seasonal adjustment, applied only when the seasonality test passes (the lag-m
 * autocorrelation outside its 90 % limit, one-sided t = 1.645, with at least three seasons of
 * data), as in the M4 benchmark code. Used when a data set ships no Naive2 forecasts. Pure.
 */
import { autocorrelation } from './seasonality.js';

export function seasonalityTest(values: readonly number[], m: number): boolean {
  if (m <= 1 || values.length < 3 * m) return false;
  let sumSquares = 0;
  for (let lag = 1; lag < m; lag++) sumSquares += autocorrelation(values, lag) ** 2;
  const limit = (1.645 / Math.sqrt(values.length)) * Math.sqrt(1 + 2 * sumSquares);
  return Math.abs(autocorrelation(values, m)) > limit;
}

/**
 * Seasonal indices of a classical multiplicative decomposition (R's `decompose`): ratios to the
 * centred moving average, averaged per position, normalised to mean 1. Index i belongs to the
 * times t with t % m === i.
 */
export function multiplicativeIndices(values: readonly number[], m: number): number[] {
  const n = values.length;
  const half = Math.floor(m / 2);
  const weights =
    m % 2 === 0
      ? [0.5, ...new Array<number>(m - 1).fill(1), 0.5].map((w) => w / m)
      : new Array<number>(m).fill(1 / m);
  const sums = new Array<number>(m).fill(0);
  const counts = new Array<number>(m).fill(0);
  for (let t = half; t < n - half; t++) {
    let trend = 0;
    for (let j = 0; j < weights.length; j++)
      trend += (weights[j] ?? 0) * (values[t - half + j] ?? 0);
    if (trend === 0) continue;
    sums[t % m] = (sums[t % m] ?? 0) + (values[t] ?? 0) / trend;
    counts[t % m] = (counts[t % m] ?? 0) + 1;
  }
  const figure = sums.map((s, i) => s / Math.max(1, counts[i] ?? 0));
  const mean = figure.reduce((a, b) => a + b, 0) / m;
  return figure.map((f) => f / mean);
}

export function naive2(values: readonly number[], horizon: number, m: number): number[] {
  const n = values.length;
  if (!seasonalityTest(values, m)) return new Array<number>(horizon).fill(values[n - 1] ?? 0);
  const indices = multiplicativeIndices(values, m);
  const last = (values[n - 1] ?? 0) / (indices[(n - 1) % m] ?? 1);
  return Array.from({ length: horizon }, (_, h) => last * (indices[(n + h) % m] ?? 1));
}
