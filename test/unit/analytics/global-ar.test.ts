import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fitGlobalAr,
  forecastGlobalAr,
  poolWindows,
  shrinkToGlobal,
  type GlobalArOptions,
} from '../../../src/analytics/global-ar.js';
import { choleskySolve } from '../../../src/analytics/ridge.js';

const daily = (level: number, amplitude: number, phase: number) => (t: number) =>
  level + amplitude * Math.sin((2 * Math.PI * (t + phase)) / 24);

const options = (over: Partial<GlobalArOptions> = {}): GlobalArOptions => ({
  lags: 48,
  horizon: 36,
  scaleWindow: 24,
  scaling: 'standard',
  lambda: 1e-8,
  stride: 1,
  ...over,
});

describe('choleskySolve', () => {
  it('solves a positive-definite system for several right-hand sides and rejects others', () => {
    const a = Float64Array.from([4, 2, 0.6, 2, 5, 1, 0.6, 1, 3]);
    const b = Float64Array.from([1, 0, 2, 1, 3, -1]);
    const w = choleskySolve(a, b, 3, 2);
    for (let i = 0; i < 3; i++)
      for (let c = 0; c < 2; c++) {
        let sum = 0;
        for (let s = 0; s < 3; s++) sum += (a[i * 3 + s] ?? 0) * (w[s * 2 + c] ?? 0);
        assert.ok(Math.abs(sum - (b[i * 2 + c] ?? 0)) < 1e-12);
      }
    assert.throws(() => choleskySolve(Float64Array.from([1, 2, 2, 1]), b.slice(0, 2), 2, 1));
    assert.throws(() => choleskySolve(a, b, 2, 2), RangeError);
  });
});

describe('global AR (pooled ridge, direct multi-step)', () => {
  it('learns one daily shape from series of different levels and sizes, and forecasts each', () => {
    // A noise-free sine satisfies x(t) = x(t − 24) exactly, so a linear model on ≥ 24 lags can
    // reproduce it; the only error left is the ridge's shrinkage, of order λ (1e-8) relative.
    // Tolerance: 1e-4 of the amplitude, far above that bias and far below any wrong shape.
    const shapes = [daily(10, 2, 0), daily(5000, 900, 7), daily(0.4, 0.1, 13)];
    const series = shapes.map((at) => Array.from({ length: 24 * 20 }, (_, t) => at(t)));
    const model = fitGlobalAr(poolWindows(series, options()), options());
    series.forEach((values, i) => {
      const at = shapes[i] ?? daily(0, 1, 0);
      const forecast = forecastGlobalAr(model, values) ?? [];
      assert.equal(forecast.length, 36);
      const amplitude = [2, 900, 0.1][i] ?? 1;
      forecast.forEach((v, h) =>
        assert.ok(Math.abs(v - at(values.length + h)) < 1e-4 * amplitude, `series ${i} step ${h}`),
      );
    });
  });

  it('matches the seasonal naive forecast on a single repeating series in every scaling', () => {
    const at = daily(30, 8, 3);
    const values = Array.from({ length: 24 * 15 }, (_, t) => at(t));
    for (const scaling of ['ratio', 'log', 'standard'] as const) {
      const o = options({ scaling });
      const forecast = forecastGlobalAr(fitGlobalAr(poolWindows([values], o), o), values) ?? [];
      forecast.forEach((v, h) => {
        const seasonalNaive = values[values.length - 24 + (h % 24)] ?? 0;
        assert.ok(Math.abs(v - seasonalNaive) < 1e-3, `${scaling} step ${h}: ${v}`);
      });
    }
  });

  it('shrinks a series model between its own fit and the global one', () => {
    const global = fitGlobalAr(
      poolWindows([Array.from({ length: 300 }, (_, t) => daily(10, 2, 0)(t))], options()),
      options(),
    );
    const own = poolWindows(
      [Array.from({ length: 300 }, (_, t) => 10 + 2 * Math.sin((2 * Math.PI * t) / 12))],
      options(),
    );
    const far = shrinkToGlobal(own, global, 1e9);
    far.weights.forEach((w, i) => assert.ok(Math.abs(w - (global.weights[i] ?? 0)) < 1e-6));
    const near = shrinkToGlobal(own, global, 1e-8);
    const series = Array.from({ length: 300 }, (_, t) => 10 + 2 * Math.sin((2 * Math.PI * t) / 12));
    const forecast = forecastGlobalAr(near, series) ?? [];
    forecast.forEach((v, h) =>
      assert.ok(Math.abs(v - (10 + 2 * Math.sin((2 * Math.PI * (300 + h)) / 12))) < 2e-4),
    );
  });

  it('declines what it cannot scale and refuses to fit on nothing', () => {
    const model = fitGlobalAr(
      poolWindows([Array.from({ length: 200 }, (_, t) => daily(10, 2, 0)(t))], options()),
      options(),
    );
    assert.equal(forecastGlobalAr(model, [1, 2, 3]), undefined);
    assert.equal(forecastGlobalAr(model, new Array<number>(100).fill(5)), undefined);
    const empty = poolWindows([[1, 2, 3]], options());
    assert.equal(empty.rows, 0);
    assert.throws(() => fitGlobalAr(empty, options()), RangeError);
    assert.throws(() => shrinkToGlobal(empty, model, 1), RangeError);
  });
});
