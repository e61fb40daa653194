/**
 * The M4 competition's accuracy measures (Makridakis et al., 2020), pure functions:
 * sMAPE = (200/h)·Σ|y−ŷ|/(|y|+|ŷ|); MASE = mean|y−ŷ| / in-sample mean |x_t − x_{t−m}|;
 * both averaged over series; OWA = ½(sMAPE/sMAPE_Naive2 + MASE/MASE_Naive2) on the averages.
 */
export function smape(actual: readonly number[], forecast: readonly number[]): number {
  if (actual.length !== forecast.length || actual.length === 0)
    throw new Error('actual and forecast must have the same, non-zero length');
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i] ?? 0;
    const f = forecast[i] ?? 0;
    const denominator = Math.abs(y) + Math.abs(f);
    sum += denominator === 0 ? 0 : Math.abs(y - f) / denominator;
  }
  return (200 / actual.length) * sum;
}

/** Mean absolute error scaled by the in-sample seasonal naive error with period `m`. */
export function mase(
  insample: readonly number[],
  actual: readonly number[],
  forecast: readonly number[],
  m: number,
): number {
  if (insample.length <= m) throw new Error(`the in-sample series needs more than ${m} points`);
  let scale = 0;
  for (let t = m; t < insample.length; t++)
    scale += Math.abs((insample[t] ?? 0) - (insample[t - m] ?? 0));
  scale /= insample.length - m;
  let error = 0;
  for (let i = 0; i < actual.length; i++) error += Math.abs((actual[i] ?? 0) - (forecast[i] ?? 0));
  return error / actual.length / scale;
}

export function owa(
  score: { smape: number; mase: number },
  naive2: { smape: number; mase: number },
): number {
  return 0.5 * (score.smape / naive2.smape + score.mase / naive2.mase);
}

export interface SeriesForecast {
  readonly insample: readonly number[];
  readonly actual: readonly number[];
  readonly forecast: readonly number[];
}

/** Average sMAPE and MASE over series, as M4 reports them. */
export function scoreForecasts(
  series: readonly SeriesForecast[],
  m: number,
): { smape: number; mase: number } {
  const n = series.length;
  return {
    smape: series.reduce((sum, s) => sum + smape(s.actual, s.forecast), 0) / n,
    mase: series.reduce((sum, s) => sum + mase(s.insample, s.actual, s.forecast, m), 0) / n,
  };
}
