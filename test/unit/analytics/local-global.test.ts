import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forecastSeries, validateCandidates } from '../../../src/analytics/forecaster.js';
import { fitForecastPool } from '../../../src/analytics/global-pool.js';
import { localGlobalMean, type ValidatedCandidate } from '../../../src/analytics/local-global.js';
import { smape } from '../../../src/analytics/m4-metrics.js';

const H = 48;
const signal = (t: number) => 100 * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 24));

/** A candidate forecasting the signal plus `bias`, validated at 7 origins a day apart. */
function biased(name: string, bias: number, n = 24 * 20): ValidatedCandidate {
  const cuts = Array.from({ length: 7 }, (_, k) => n - H - 24 * k);
  const path = (from: number, shift: number) =>
    Array.from({ length: H }, (_, h) => signal(from + h) + shift);
  const forecasts = cuts.map((cut) => path(cut, bias));
  const actual = cuts.map((cut) => path(cut, 0));
  return {
    name,
    forecasts,
    actual,
    smape: forecasts.map((f, k) => smape(actual[k] ?? [], f)),
    squared: Array.from({ length: H }, () => bias * bias),
    final: (values, horizon) =>
      Array.from({ length: horizon }, (_, h) => signal(values.length + h) + bias),
  };
}

describe('local–global mean of the validated choice', () => {
  it('averages the best candidate with the best of the other kind when it validates within 10 %', () => {
    // +5 and −5 validate within 10 % of each other (sMAPE 5/(2y+5) against 5/(2y−5), y ≥ 70),
    // and their mean is the signal itself.
    const candidates = [
      biased('weekly_naive', 20),
      biased('seasonal_naive', 5),
      biased('global_ar', -5),
    ];
    const combined = localGlobalMean(candidates);
    assert.ok(combined !== undefined);
    assert.equal(combined.name, 'seasonal_naive+global_ar');
    assert.equal(combined.smape.length, 7);
    assert.ok(combined.forecasts.every((f) => f.length === H));
    combined.smape.forEach((e) => assert.ok(e < 1e-9, `validation sMAPE ${e}`));
    combined.squared.forEach((e) => assert.ok(e < 1e-18, `squared error ${e}`));
    const values = new Array<number>(24 * 20).fill(0);
    const forecast = combined.final(values, H);
    forecast.forEach((v, h) => assert.ok(Math.abs(v - signal(values.length + h)) < 1e-9));
  });

  it('keeps the best alone when the other kind validates worse than the margin, or is missing', () => {
    const far = [biased('seasonal_naive', 5), biased('global_ar', -20)];
    assert.equal(localGlobalMean(far), undefined);
    assert.equal(localGlobalMean(far, 5)?.name, 'seasonal_naive+global_ar');
    assert.equal(
      localGlobalMean([biased('seasonal_naive', 5), biased('holt_winters', 6)]),
      undefined,
    );
    assert.equal(localGlobalMean([]), undefined);
  });

  describe('in the forecaster, for a group of series', () => {
    const LENGTH = 24 * 40;
    const noisy = (level: number, phase: number, noise: number) => {
      let seed = 11 + phase;
      const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * noise;
      const truth = (t: number) => level * (1 + 0.3 * Math.sin((2 * Math.PI * (t + phase)) / 24));
      return {
        values: Array.from({ length: LENGTH }, (_, t) => truth(t) + random()),
        truth,
        noise,
      };
    };
    const group = [noisy(100, 0, 4), noisy(20, 5, 1), noisy(3000, 9, 50)];
    const pool = fitForecastPool(
      group.map((g) => g.values),
      H,
      7,
      24,
    );

    it('forecasts the mean of the two candidates when they validate alike', () => {
      for (const { values } of group) {
        const validated = validateCandidates(values, H, 24, 7, 24, pool);
        const combined = localGlobalMean(validated);
        assert.ok(combined !== undefined, 'Holt-Winters and the global AR validate alike here');
        const [a, b] = combined.name.split('+').map((n) => validated.find((c) => c.name === n));
        assert.ok(a !== undefined && b !== undefined);
        const result = forecastSeries(values, H, { period: 24, pool });
        assert.equal(result.method, combined.name);
        const fa = a.final(values, H);
        const fb = b.final(values, H);
        result.mean.forEach((v, h) =>
          assert.ok(Math.abs(v - ((fa[h] ?? 0) + (fb[h] ?? 0)) / 2) < 1e-9),
        );
      }
    });

    it('follows the noiseless signal closer than the noise does', () => {
      // Noise is uniform in ±noise/2, standard deviation noise/√12: a forecast copying one past
      // day (seasonal naive) errs by up to noise/2 somewhere in 48 hours; a pooled or smoothed one
      // averages many days, so its worst error must stay under one standard deviation.
      for (const { values, truth, noise } of group) {
        const result = forecastSeries(values, H, { period: 24, pool });
        const worst = Math.max(...result.mean.map((v, h) => Math.abs(v - truth(LENGTH + h))));
        assert.ok(worst < noise / Math.sqrt(12), `worst error ${worst}, noise ${noise}`);
      }
    });
  });
});

describe('validateCandidates', () => {
  it('reports each origin’s forecast and the values that followed it, latest first', () => {
    const values = Array.from({ length: 24 * 30 }, (_, t) => signal(t) + (t % 7));
    for (const c of validateCandidates(values, H, 24, 7, 24)) {
      assert.equal(c.forecasts.length, 7);
      c.actual.forEach((actual, k) => {
        const cut = values.length - H - 24 * k;
        assert.deepEqual(actual, values.slice(cut, cut + H));
        assert.equal(c.smape[k], smape(actual, c.forecasts[k] ?? []));
      });
    }
  });
});
