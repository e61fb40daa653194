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
  season: number[];
}

function run(values: readonly number[], p: HoltWintersParams): Fit {
  const m = p.seasonality === 'none' ? 1 : p.period;
  const firstSeason = values.slice(0, m);
  let level = firstSeason.reduce((s, v) => s + v, 0) / m;
  const nextSeason = values.slice(m, 2 * m);
  let trend =
    m > 1 && nextSeason.length === m
      ? (nextSeason.reduce((s, v) => s + v, 0) / m - level) / m
      : (values[1] ?? level) - (values[0] ?? level);
  const season =
    p.seasonality === 'none'
      ? [0]
      : firstSeason.map((v) =>
          p.seasonality === 'additive' ? v - level : level === 0 ? 1 : v / level,
        );
  let sse = 0;
  for (let t = m; t < values.length; t++) {
    const y = values[t] ?? 0;
    const s = season[t % m] ?? (p.seasonality === 'multiplicative' ? 1 : 0);
    const base = level + p.phi * trend;
    const predicted = p.seasonality === 'multiplicative' ? base * s : base + s;
    sse += (y - predicted) ** 2;
    const previousLevel = level;
    if (p.seasonality === 'multiplicative') {
      level = p.alpha * (s === 0 ? y : y / s) + (1 - p.alpha) * base;
      season[t % m] = p.gamma * (level === 0 ? 1 : y / level) + (1 - p.gamma) * s;
    } else {
      level = p.alpha * (y - s) + (1 - p.alpha) * base;
      if (p.seasonality === 'additive') season[t % m] = p.gamma * (y - level) + (1 - p.gamma) * s;
    }
    trend = p.beta * (level - previousLevel) + (1 - p.beta) * p.phi * trend;
  }
  return { sse, level, trend, season };
}

const ALPHAS = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];
const BETAS = [0, 0.01, 0.05, 0.15];
const GAMMAS = [0.01, 0.05, 0.1, 0.2, 0.4];
const PHIS = [0.8, 0.9, 0.98];

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
            const fit = run(values, params);
            if (Number.isFinite(fit.sse) && (best === undefined || fit.sse < best.fit.sse))
              best = { params, fit };
          }
  }
  if (best === undefined) throw new Error('cannot fit the series');
  return best;
}

/** Forecasts `horizon` steps with a `confidence` (z-based) prediction interval. */
export function forecast(
  values: readonly number[],
  horizon: number,
  options: { period?: number; seasonality?: Seasonality; z?: number } = {},
): Forecast {
  if (values.length < 4) throw new Error('at least 4 points are needed');
  const { params, fit } = fitHoltWinters(values, options);
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
