/**
 * A global linear autoregression (Montero-Manso & Hyndman, "Principles and algorithms for
 * forecasting groups of time series: locality and globality", IJF 37(4), 2021): one ridge
 * regression fitted on windows pooled from many series, forecasting every step of the horizon
 * directly (one weight vector per step, all sharing the same inputs). Each window is divided by
 * the mean of its own last `scaleWindow` points (a level-free shape), optionally in logs, so
 * series of any size share the model. Pure; no look-ahead: a window's targets are always points
 * after its inputs, and `fitGlobalAr` only sees the values it is given.
 */
import { choleskySolve } from './ridge.js';

export interface GlobalArOptions {
  /** Input length in points (the last `lags` values before the origin). */
  readonly lags: number;
  /** Steps forecast, each by its own weights. */
  readonly horizon: number;
  /** Points whose mean divides a window (its level). */
  readonly scaleWindow: number;
  /**
   * How a window is made level-free: `ratio` value / level; `log` log(value / level) (needs
   * positive windows); `standard` (value − level) / spread, the spread being the standard
   * deviation of the last `scaleWindow` points (every series then weighs alike in the fit).
   */
  readonly scaling: 'ratio' | 'log' | 'standard';
  /** Ridge penalty per row of data (scaled by the row count, so it means the same for any pool). */
  readonly lambda: number;
  /** Take a window every `stride` points of each series (1: every origin). */
  readonly stride: number;
}

export interface GlobalArModel {
  readonly options: GlobalArOptions;
  /** (lags + 1) × horizon weights, row-major; the last row is the intercept. */
  readonly weights: Float64Array;
}

/** The inputs of the window ending before `origin` (scaled), or undefined when unusable. */
function inputs(
  values: readonly number[],
  origin: number,
  options: GlobalArOptions,
): Window | undefined {
  const { lags, scaleWindow, scaling } = options;
  if (origin < lags || origin < scaleWindow) return undefined;
  let level = 0;
  for (let t = origin - scaleWindow; t < origin; t++) level += values[t] ?? 0;
  level /= scaleWindow;
  let window: Window;
  if (scaling === 'standard') {
    let squares = 0;
    for (let t = origin - scaleWindow; t < origin; t++) squares += ((values[t] ?? 0) - level) ** 2;
    const spread = Math.sqrt(squares / scaleWindow);
    if (!(spread > 0)) return undefined;
    window = { x: new Float64Array(lags + 1), shift: level, scale: spread, log: false };
  } else {
    if (!(level > 0)) return undefined;
    window = { x: new Float64Array(lags + 1), shift: 0, scale: level, log: scaling === 'log' };
  }
  for (let i = 0; i < lags; i++) {
    const z = toModel(window, values[origin - lags + i] ?? 0);
    if (z === undefined) return undefined;
    window.x[i] = z;
  }
  window.x[lags] = 1;
  return window;
}

/** A window's inputs and how its values map to the model's units and back. */
interface Window {
  readonly x: Float64Array;
  readonly shift: number;
  readonly scale: number;
  readonly log: boolean;
}

function toModel(window: Window, value: number): number | undefined {
  const z = (value - window.shift) / window.scale;
  if (!window.log) return z;
  return z > 0 ? Math.log(z) : undefined;
}

function fromModel(window: Window, z: number): number {
  return window.shift + window.scale * (window.log ? Math.exp(z) : z);
}

/** Sufficient statistics of the pooled windows: XᵀX (dense), XᵀY and the row count. */
export interface GlobalArData {
  readonly xtx: Float64Array;
  readonly xty: Float64Array;
  readonly rows: number;
}

/**
 * Pools the windows of `series` whose targets end at or before each series' length; a window
 * that cannot be scaled (see `inputs`) is left out.
 */
export function poolWindows(
  series: Iterable<readonly number[]>,
  options: GlobalArOptions,
): GlobalArData {
  const p = options.lags + 1;
  const H = options.horizon;
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p * H);
  const y = new Float64Array(H);
  let rows = 0;
  for (const values of series) {
    for (let origin = values.length - H; origin >= options.lags; origin -= options.stride) {
      const window = inputs(values, origin, options);
      if (window === undefined) continue;
      const x = window.x;
      let ok = true;
      for (let h = 0; h < H; h++) {
        const z = toModel(window, values[origin + h] ?? 0);
        if (z === undefined) ok = false;
        else y[h] = z;
      }
      if (!ok) continue;
      rows++;
      for (let i = 0; i < p; i++) {
        const xi = x[i] ?? 0;
        const row = i * p;
        for (let j = i; j < p; j++) xtx[row + j] = (xtx[row + j] ?? 0) + xi * (x[j] ?? 0);
        const out = i * H;
        for (let h = 0; h < H; h++) xty[out + h] = (xty[out + h] ?? 0) + xi * (y[h] ?? 0);
      }
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) xtx[i * p + j] = xtx[j * p + i] ?? 0;
  return { xtx, xty, rows };
}

/** Solves the ridge regression on pooled windows; throws if there are none. */
export function fitGlobalAr(data: GlobalArData, options: GlobalArOptions): GlobalArModel {
  if (data.rows === 0) throw new RangeError('no usable window to fit the global model on');
  const p = options.lags + 1;
  const a = Float64Array.from(data.xtx);
  for (let i = 0; i < p; i++) a[i * p + i] = (a[i * p + i] ?? 0) + options.lambda * data.rows;
  return { options, weights: choleskySolve(a, data.xty, p, options.horizon) };
}

/**
 * Forecasts `options.horizon` steps after the end of `values`, or undefined when the series is
 * shorter than the model's inputs or its last window is unusable (a non-positive level, or a flat one when standardised).
 */
export function forecastGlobalAr(
  model: GlobalArModel,
  values: readonly number[],
): number[] | undefined {
  const { options, weights } = model;
  const window = inputs(values, values.length, options);
  if (window === undefined) return undefined;
  const p = options.lags + 1;
  const out: number[] = [];
  for (let h = 0; h < options.horizon; h++) {
    let z = 0;
    for (let i = 0; i < p; i++) z += (window.x[i] ?? 0) * (weights[i * options.horizon + h] ?? 0);
    out.push(fromModel(window, z));
  }
  return out;
}

/**
 * One series' own model, shrunk towards a global one (partial pooling): ridge on the series'
 * windows `data` with the penalty μ·rows·‖W − W_global‖², so μ → ∞ gives the global model and
 * μ → 0 the series' own least squares. Throws if the series has no usable window.
 */
export function shrinkToGlobal(
  data: GlobalArData,
  global: GlobalArModel,
  mu: number,
): GlobalArModel {
  if (data.rows === 0) throw new RangeError('no usable window to fit the series model on');
  const { options } = global;
  const p = options.lags + 1;
  const a = Float64Array.from(data.xtx);
  const b = Float64Array.from(data.xty);
  const penalty = mu * data.rows;
  for (let i = 0; i < p; i++) a[i * p + i] = (a[i * p + i] ?? 0) + penalty;
  for (let i = 0; i < b.length; i++) b[i] = (b[i] ?? 0) + penalty * (global.weights[i] ?? 0);
  return { options, weights: choleskySolve(a, b, p, options.horizon) };
}
