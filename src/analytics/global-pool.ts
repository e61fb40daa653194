/**
 * The global AR (global-ar.ts) as candidates of the forecaster's per-series choice: a pool of
 * series yields two global models, one fitted only on windows whose targets end at or before each
 * series' earliest validation origin (what the candidates are validated with, so no validation
 * window is ever seen in training) and one on the whole series (what forecasts). Each series then
 * gets two candidates: the pooled model as is (`global_ar`) and the model shrunk towards the
 * series' own windows (`global_ar_shrunk`). Settings (lags 336, standardised windows, λ 0.01,
 * shrinkage μ 0.1) were chosen on the last 48 points of the M4 hourly development split's train
 * parts (docs/analytics.md). Pure.
 */
import {
  fitGlobalAr,
  forecastGlobalAr,
  poolWindows,
  shrinkToGlobal,
  type GlobalArModel,
  type GlobalArOptions,
} from './global-ar.js';

export interface ForecastPool {
  /** Fitted on windows ending at or before each series' earliest validation origin. */
  readonly validation: GlobalArModel;
  /** Fitted on every window of the pool. */
  readonly final: GlobalArModel;
  /** Shrinkage μ of the per-series model towards the global one. */
  readonly shrink: number;
}

export const GLOBAL_AR_DEFAULTS = {
  lags: 336,
  scaleWindow: 168,
  scaling: 'standard',
  lambda: 0.01,
  stride: 1,
  shrink: 0.1,
} as const;

/** The pool's settings: the global AR's (without its horizon) and the shrinkage μ. */
export type PoolSettings = Omit<GlobalArOptions, 'horizon'> & { readonly shrink: number };

/**
 * Fits the pool's two models for `horizon` steps and the forecaster's validation (`folds` origins
 * `step` points apart), with `settings` (GLOBAL_AR_DEFAULTS); undefined when no series has a
 * usable window.
 */
export function fitForecastPool(
  series: readonly (readonly number[])[],
  horizon: number,
  folds: number,
  step: number,
  settings: PoolSettings = GLOBAL_AR_DEFAULTS,
): ForecastPool | undefined {
  const { shrink, ...rest } = settings;
  const options: GlobalArOptions = { ...rest, horizon };
  const early = poolWindows(
    series.map((v) => v.slice(0, Math.max(0, v.length - horizon - (folds - 1) * step))),
    options,
  );
  const all = poolWindows(series, options);
  if (early.rows === 0 || all.rows === 0) return undefined;
  return { validation: fitGlobalAr(early, options), final: fitGlobalAr(all, options), shrink };
}

/** The model of one series: the global one shrunk towards the series' windows, if it has any. */
function shrunk(global: GlobalArModel, values: readonly number[], mu: number): GlobalArModel {
  const own = poolWindows([values], global.options);
  return own.rows > 0 ? shrinkToGlobal(own, global, mu) : global;
}

type Method = (values: readonly number[], horizon: number) => number[];

/**
 * The two candidates for a series whose earliest validation cut keeps `usable` points; none when
 * the pool forecasts another horizon. A candidate that cannot forecast (series too short, or a
 * flat window) returns `fallback`'s forecast, so validation scores it as that.
 */
export function poolCandidates(
  pool: ForecastPool,
  values: readonly number[],
  usable: number,
  horizon: number,
  fallback: Method,
): Map<string, { final: Method; validate: Method }> {
  const methods = new Map<string, { final: Method; validate: Method }>();
  if (pool.final.options.horizon !== horizon) return methods;
  const run =
    (model: () => GlobalArModel): Method =>
    (v, h) =>
      forecastGlobalAr(model(), v) ?? fallback(v, h);
  const early = shrunk(pool.validation, values.slice(0, usable), pool.shrink);
  methods.set('global_ar', { final: run(() => pool.final), validate: run(() => pool.validation) });
  methods.set('global_ar_shrunk', {
    final: run(() => shrunk(pool.final, values, pool.shrink)),
    validate: run(() => early),
  });
  return methods;
}
