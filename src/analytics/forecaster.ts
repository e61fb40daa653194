/**
 * The forecaster the service uses: a small set of candidate methods, each scored by rolling-
 * origin validation on the series' own recent past (7 origins one period apart, each holding out
 * the next h points; no look-ahead), and the method with the least total validation sMAPE
 * forecasts from the whole series. Seven origins a period apart beat three h apart on the M4
 * hourly development series (OWA 0.447 against 0.469; chosen in each of five folds of a
 * cross-validation across series, bench/README.md). Candidates: seasonal naive at the period
 * (also with a drift per period: a daily shape that creeps, where a plain seasonal naive is off
 * by the creep) and at a week of periods, the mean of the last 2 or 3 "weeks" (rescaled by the
 * latest period's level, or not), and Holt-Winters (holt-winters.ts); for a series forecast as
 * one of a group, also the group's global AR, as is and shrunk to the series (global-pool.ts:
 * OWA 0.421 on those M4 series), and the best local and global candidates are averaged when both
 * validate within 10 % (local-global.ts: OWA 0.417, docs/analytics.md). Prediction intervals come
 * from the chosen method's validation errors, widening with the horizon. Pure.
 */
import { poolCandidates, type ForecastPool } from './global-pool.js';
import { fitHoltWinters, forecast as holtWinters } from './holt-winters.js';
import { localGlobalMean } from './local-global.js';
import { smape } from './m4-metrics.js';
import { detectPeriod } from './seasonality.js';

export interface ForecastResult {
  readonly method: string;
  readonly period: number;
  readonly mean: number[];
  readonly lower: number[];
  readonly upper: number[];
}

export type Method = (values: readonly number[], horizon: number) => number[];

const WEEK = 7;

function seasonalNaive(period: number): Method {
  return (values, horizon) =>
    Array.from(
      { length: horizon },
      (_, h) => values[values.length - period + (h % period)] ?? values[values.length - 1] ?? 0,
    );
}

/**
 * Seasonal naive plus a drift: the mean change from one period to the next over the last `span`
 * points, added once per period ahead (a daily shape that creeps up or down).
 */
function seasonalNaiveDrift(period: number, span: number): Method {
  return (values, horizon) => {
    const n = values.length;
    let drift = 0;
    for (let t = n - span; t < n; t++) drift += (values[t] ?? 0) - (values[t - period] ?? 0);
    drift /= span;
    return Array.from({ length: horizon }, (_, h) => {
      const cycles = Math.floor(h / period) + 1;
      return (values[n - cycles * period + h] ?? 0) + cycles * drift;
    });
  };
}

/** Mean of the value one, two … `cycles` periods back at the same phase; rescaled when asked. */
function seasonalMean(period: number, cycles: number, rescale: boolean): Method {
  return (values, horizon) => {
    const n = values.length;
    let ratio = 1;
    if (rescale) {
      const latest = mean(values, n - Math.min(period / WEEK, period), n);
      let past = 0;
      for (let c = 1; c <= cycles; c++)
        past += mean(values, n - c * period - Math.min(period / WEEK, period), n - c * period);
      past /= cycles;
      if (past > 0 && latest > 0) ratio = latest / past;
    }
    return Array.from({ length: horizon }, (_, h) => {
      let sum = 0;
      for (let c = 1; c <= cycles; c++) sum += values[n - c * period + (h % period)] ?? 0;
      return (sum / cycles) * ratio;
    });
  };
}

function mean(values: readonly number[], from: number, to: number): number {
  let sum = 0;
  for (let i = Math.max(0, from); i < to; i++) sum += values[i] ?? 0;
  return sum / Math.max(1, to - Math.max(0, from));
}

interface Candidate {
  /** Forecasts from the whole series. */
  readonly final: Method;
  /** Forecasts from a validation cut; the same method, or a cheaper refit of it. */
  readonly validate: Method;
}

/**
 * The candidates for a series whose earliest validation cut keeps `usable` points. Holt-Winters'
 * parameters are searched once on that earliest cut and rerun on the later cuts: every cut
 * extends the earliest one, so no fold sees its own future, and one search replaces seven.
 */
function candidates(
  period: number,
  values: readonly number[],
  usable: number,
  horizon: number,
  pool: ForecastPool | undefined,
): Map<string, Candidate> {
  const methods = new Map<string, Candidate>();
  const same = (method: Method): Candidate => ({ final: method, validate: method });
  const early = values.slice(0, usable);
  const params = early.length >= 4 ? fitHoltWinters(early, { period }).params : undefined;
  methods.set('holt_winters', {
    final: (v, h) => holtWinters(v, h, { period }).mean,
    validate: (v, h) =>
      params === undefined || (params.seasonality === 'multiplicative' && v.some((x) => x <= 0))
        ? holtWinters(v, h, { period }).mean
        : holtWinters(v, h, { period, params }).mean,
  });
  if (period > 1 && usable > period) methods.set('seasonal_naive', same(seasonalNaive(period)));
  const week = period * WEEK;
  if (period > 1 && usable > week + period)
    methods.set('seasonal_naive_drift', same(seasonalNaiveDrift(period, week)));
  if (period > 1 && usable > 3 * week) {
    methods.set('weekly_naive', same(seasonalNaive(week)));
    methods.set('weekly_mean_2', same(seasonalMean(week, 2, false)));
    methods.set('weekly_mean_3', same(seasonalMean(week, 3, false)));
    methods.set('weekly_scaled_2', same(seasonalMean(week, 2, true)));
    methods.set('weekly_scaled_3', same(seasonalMean(week, 3, true)));
  }
  if (pool !== undefined)
    for (const [name, candidate] of poolCandidates(pool, values, usable, horizon, (v, h) =>
      seasonalNaive(Math.max(1, period))(v, h),
    ))
      methods.set(name, candidate);
  return methods;
}

/** One candidate's rolling-origin validation on a series. */
export interface CandidateValidation {
  readonly name: string;
  /** sMAPE of each validation origin's forecast, latest origin first. */
  readonly smape: number[];
  /** Squared error at each step ahead, averaged over the origins. */
  readonly squared: number[];
  /** The forecast made at each validation origin (latest first), `horizon` points each. */
  readonly forecasts: number[][];
  /** The values that followed each validation origin (latest first). */
  readonly actual: number[][];
  /** Forecasts `horizon` steps from the whole series. */
  readonly final: Method;
}

/**
 * Validates every candidate on `folds` origins `step` points apart (latest first), each holding
 * out the `horizon` points after it; no look-ahead. Empty when the series is too short for one.
 * With a `pool` (global-pool.ts, fitted for the same folds and step), its global AR candidates
 * join the local ones.
 */
export function validateCandidates(
  values: readonly number[],
  horizon: number,
  period: number,
  folds: number,
  step: number,
  pool?: ForecastPool,
): CandidateValidation[] {
  const cuts: number[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const cut = values.length - horizon - fold * step;
    if (cut < Math.max(4, 2 * period)) break;
    cuts.push(cut);
  }
  if (cuts.length === 0) return [];
  const methods = candidates(period, values, cuts[cuts.length - 1] ?? values.length, horizon, pool);
  return [...methods].map(([name, { final, validate }]) => {
    const squared = new Array<number>(horizon).fill(0);
    const forecasts: number[][] = [];
    const actuals: number[][] = [];
    const errors = cuts.map((cut) => {
      const predicted = validate(values.slice(0, cut), horizon);
      const actual = values.slice(cut, cut + horizon);
      forecasts.push(predicted);
      actuals.push(actual);
      actual.forEach((y, h) => (squared[h] = (squared[h] ?? 0) + (y - (predicted[h] ?? 0)) ** 2));
      return smape(actual, predicted);
    });
    return {
      name,
      smape: errors,
      squared: squared.map((s) => s / cuts.length),
      forecasts,
      actual: actuals,
      final,
    };
  });
}

/**
 * Forecasts `horizon` steps. `period` defaults to the autocorrelation's choice; `z` sets the
 * interval (1.96 ≈ 95 % if the validation errors were normal); `folds` validation origins (7),
 * `foldStep` points apart (the period, or the horizon for a series without one); `pool` adds the
 * global AR candidates of a group of series forecast together (global-pool.ts).
 */
export function forecastSeries(
  values: readonly number[],
  horizon: number,
  options: {
    period?: number;
    z?: number;
    folds?: number;
    foldStep?: number;
    pool?: ForecastPool;
  } = {},
): ForecastResult {
  if (!Number.isInteger(horizon) || horizon < 1)
    throw new RangeError('horizon must be a positive integer');
  if (values.length < 4) throw new RangeError('at least 4 points are needed');
  const period = options.period ?? detectPeriod(values) ?? 1;
  const z = options.z ?? 1.96;
  const step = options.foldStep ?? (period > 1 ? period : horizon);
  const validated = validateCandidates(
    values,
    horizon,
    period,
    options.folds ?? 7,
    step,
    options.pool,
  );
  let best: { name: string; method: Method; error: number; squared: number[] } | undefined;
  for (const candidate of validated) {
    const error = candidate.smape.reduce((sum, e) => sum + e, 0);
    if (best === undefined || error < best.error)
      best = { name: candidate.name, method: candidate.final, error, squared: candidate.squared };
  }
  // In a group, the best local and global candidates are averaged where both validate alike.
  const combined = localGlobalMean(validated);
  if (combined !== undefined)
    best = {
      name: combined.name,
      method: combined.final,
      error: combined.smape.reduce((sum, e) => sum + e, 0),
      squared: combined.squared,
    };
  const chosen = best ?? {
    name: 'holt_winters',
    method: (v: readonly number[], h: number) => holtWinters(v, h, { period }).mean,
    squared: [],
  };
  const meanForecast = chosen.method(values, horizon);
  // Interval half-width at step h: z × RMS validation error over steps 1…h, held at its running
  // maximum: uncertainty does not fall with the horizon even when a few folds say so.
  const halfWidths: number[] = [];
  let cumulative = 0;
  let widest = 0;
  for (let h = 0; h < horizon; h++) {
    cumulative += chosen.squared[h] ?? 0;
    widest = Math.max(widest, z * Math.sqrt(cumulative / (h + 1)));
    halfWidths.push(widest);
  }
  if (chosen.squared.length === 0) {
    // Too short to validate: fall back to Holt-Winters' own one-step intervals.
    const own = holtWinters(values, horizon, { period });
    return { method: 'holt_winters', period, mean: own.mean, lower: own.lower, upper: own.upper };
  }
  return {
    method: chosen.name,
    period,
    mean: meanForecast,
    lower: meanForecast.map((v, h) => v - (halfWidths[h] ?? 0)),
    upper: meanForecast.map((v, h) => v + (halfWidths[h] ?? 0)),
  };
}
