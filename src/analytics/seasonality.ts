/** Autocorrelation and the seasonal period it suggests. Pure. */
export function autocorrelation(values: readonly number[], lag: number): number {
  const n = values.length;
  if (lag <= 0 || lag >= n) return 0;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] ?? 0) - mean;
    denominator += d * d;
    if (i >= lag) numerator += d * ((values[i - lag] ?? 0) - mean);
  }
  return denominator === 0 ? 0 : numerator / denominator;
}

/**
 * The lag (2 … maxLag) with the highest autocorrelation among local peaks, when it exceeds
 * `minCorrelation`; undefined for a series without a clear season.
 */
export function detectPeriod(
  values: readonly number[],
  maxLag = Math.floor(values.length / 3),
  minCorrelation = 0.3,
): number | undefined {
  const acf = [0];
  for (let lag = 1; lag <= maxLag + 1; lag++) acf.push(autocorrelation(values, lag));
  let best: number | undefined;
  for (let lag = 2; lag <= maxLag; lag++) {
    const r = acf[lag] ?? 0;
    const isPeak = r > (acf[lag - 1] ?? 0) && r >= (acf[lag + 1] ?? 0);
    if (isPeak && r > minCorrelation && (best === undefined || r > (acf[best] ?? 0) + 0.05))
      best = lag;
  }
  return best;
}
