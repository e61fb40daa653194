/**
 * Holt-Winters exponential smoothing with a damped trend and additive or multiplicative
 * seasonality, fitted by minimising the one-step-ahead squared error over a parameter grid;
 * a damped-trend (no season) fallback when the series is shorter than two seasons or has no
 * season. Prediction intervals from the one-step residual spread, widening with √h. Pure.
 */
import { detectPeriod } from './seasonality.js';

export type Seasonality = 'additive' | 'multiplicative' | 'none';

export interface HoltWintersParams {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  readonly phi: number;
  readonly period: number;
  readonly seasonality: Seasonality;
}

export interface Forecast {
  readonly mean: number[];
  readonly lower: number[];
  readonly upper: number[];
  readonly params: HoltWintersParams;
  /** Root mean squared one-step error of the fit. */
  readonly rmse: number;
}

interface Fit {
  sse: number;
  level: number;
  trend: number;
  season: Float64Array;
}

/**
 * One pass of the recursions. Written over a Float64Array with one loop per seasonality
 * because the parameter search calls it about a thousand times per fit.
 */
function run(values: Float64Array, p: HoltWintersParams): Fit {
  const n = values.length;
  const m = p.seasonality === 'none' ? 1 : p.period;
  const { alpha, beta, gamma, phi } = p;
  let level = 0;
  for (let i = 0; i < m; i++) level += values[i] ?? 0;
  level /= m;
  let trend: number;
  if (m > 1 && n >= 2 * m) {
    let next = 0;
    for (let i = m; i < 2 * m; i++) next += values[i] ?? 0;
    trend = (next / m - level) / m;
  } else trend = (values[1] ?? level) - (values[0] ?? level);
  const season = new Float64Array(m);
  if (p.seasonality === 'additive')
    for (let i = 0; i < m; i++) season[i] = (values[i] ?? 0) - level;
  if (p.seasonality === 'multiplicative')
    for (let i = 0; i < m; i++) season[i] = level === 0 ? 1 : (values[i] ?? 0) / level;
  let sse = 0;
  let slot = 0; // t % m, kept incrementally
  if (p.seasonality === 'multiplicative') {
    for (let t = m; t < n; t++) {
      const y = values[t] ?? 0;
      const s = season[slot] ?? 1;
      const base = level + phi * trend;
      const error = y - base * s;
      sse += error * error;
      const previous = level;
      level = alpha * (s === 0 ? y : y / s) + (1 - alpha) * base;
      season[slot] = gamma * (level === 0 ? 1 : y / level) + (1 - gamma) * s;
      trend = beta * (level - previous) + (1 - beta) * phi * trend;
      if (++slot === m) slot = 0;
    }
  } else if (p.seasonality === 'additive') {
    for (let t = m; t < n; t++) {
      const y = values[t] ?? 0;
      const s = season[slot] ?? 0;
      const base = level + phi * trend;
      const error = y - base - s;
      sse += error * error;
      const previous = level;
      level = alpha * (y - s) + (1 - alpha) * base;
      season[slot] = gamma * (y - level) + (1 - gamma) * s;
      trend = beta * (level - previous) + (1 - beta) * phi * trend;
      if (++slot === m) slot = 0;
    }
  } else {
    for (let t = 1; t < n; t++) {
      const y = values[t] ?? 0;
      const base = level + phi * trend;
      const error = y - base;
      sse += error * error;
      const previous = level;
      level = alpha * y + (1 - alpha) * base;
      trend = beta * (level - previous) + (1 - beta) * phi * trend;
    }
  }
  // season[i] belongs to the times t with t % m === i; forecast() indexes it that way.
  return { sse, level, trend, season };
}

const ALPHAS = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];
const BETAS = [0, 0.01, 0.05, 0.15];
const GAMMAS = [0.01, 0.05, 0.1, 0.2, 0.4];
// φ = 1 is plain (undamped) Holt: a steady ramp, such as a growing database, must extrapolate linearly.
const PHIS = [0.8, 0.9, 0.98, 1];

export function fitHoltWinters(
  values: readonly number[],
  options: { period?: number; seasonality?: Seasonality } = {},
): { params: HoltWintersParams; fit: Fit } {
  const period = options.period ?? detectPeriod(values) ?? 1;
  const seasonal = period > 1 && values.length >= 2 * period;
  const positive = values.every((v) => v > 0);
  const kinds: Seasonality[] =
    options.seasonality !== undefined
      ? [options.seasonality]
      : seasonal
        ? positive
          ? ['additive', 'multiplicative']
          : ['additive']
        : ['none'];
  const series = Float64Array.from(values);
  let best: { params: HoltWintersParams; fit: Fit } | undefined;
  for (const seasonality of kinds) {
    for (const alpha of ALPHAS)
      for (const beta of BETAS)
        for (const phi of PHIS)
          for (const gamma of seasonality === 'none' ? [0] : GAMMAS) {
            const params = {
              alpha,
              beta,
              gamma,
              phi,
              period: seasonality === 'none' ? 1 : period,
              seasonality,
            };
            const fit = run(series, params);
            if (Number.isFinite(fit.sse) && (best === undefined || fit.sse < best.fit.sse))
              best = { params, fit };
          }
  }
  if (best === undefined) throw new Error('cannot fit the series');
  return best;
}

/**
 * Forecasts `horizon` steps with a `confidence` (z-based) prediction interval. With `params` the
 * parameter search is skipped and those are run over `values` (a cheap refit on a longer series).
 */
export function forecast(
  values: readonly number[],
  horizon: number,
  options: {
    period?: number;
    seasonality?: Seasonality;
    z?: number;
    params?: HoltWintersParams;
  } = {},
): Forecast {
  if (values.length < 4) throw new Error('at least 4 points are needed');
  const { params, fit } =
    options.params === undefined
      ? fitHoltWinters(values, options)
      : { params: options.params, fit: run(Float64Array.from(values), options.params) };
  const m = params.period;
  const fitted = values.length - (params.seasonality === 'none' ? 1 : m);
  const rmse = Math.sqrt(fit.sse / Math.max(1, fitted));
  const z = options.z ?? 1.96;
  const mean: number[] = [];
  let damp = 0;
  for (let h = 1; h <= horizon; h++) {
    damp += params.phi ** h;
    const base = fit.level + damp * fit.trend;
    const s =
      fit.season[(values.length + h - 1) % m] ?? (params.seasonality === 'multiplicative' ? 1 : 0);
    mean.push(
      params.seasonality === 'multiplicative'
        ? base * s
        : params.seasonality === 'additive'
          ? base + s
          : base,
    );
  }
  return {
    mean,
    lower: mean.map((v, i) => v - z * rmse * Math.sqrt(i + 1)),
    upper: mean.map((v, i) => v + z * rmse * Math.sqrt(i + 1)),
    params,
    rmse,
  };
}
