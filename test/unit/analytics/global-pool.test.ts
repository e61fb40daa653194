import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forecastSeries, validateCandidates } from '../../../src/analytics/forecaster.js';
import { fitForecastPool } from '../../../src/analytics/global-pool.js';

// Hourly series long enough for the pool's 336 lags and 7 daily validation origins.
const LENGTH = 24 * 40;
const H = 48;
const shape = (level: number, phase: number, noise: number) => {
  let seed = 11 + phase;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * noise;
  return Array.from(
    { length: LENGTH },
    (_, t) => level * (1 + 0.3 * Math.sin((2 * Math.PI * (t + phase)) / 24)) + random(),
  );
};

describe('global AR candidates of a group of series', () => {
  const group = [shape(100, 0, 4), shape(20, 5, 1), shape(3000, 9, 50)];

  it('joins the validated candidates only when a pool of the same horizon is given', () => {
    const pool = fitForecastPool(group, H, 7, 24);
    assert.ok(pool !== undefined);
    const names = (p?: typeof pool) =>
      validateCandidates(group[0] ?? [], H, 24, 7, 24, p).map((c) => c.name);
    assert.ok(names(pool).includes('global_ar') && names(pool).includes('global_ar_shrunk'));
    assert.ok(!names().some((name) => name.startsWith('global')));
    assert.ok(!names(fitForecastPool(group, 24, 7, 24)).some((n) => n.startsWith('global')));
    for (const c of validateCandidates(group[0] ?? [], H, 24, 7, 24, pool)) {
      assert.equal(c.smape.length, 7);
      assert.equal(c.final(group[0] ?? [], H).length, H);
    }
    const result = forecastSeries(group[1] ?? [], H, { period: 24, pool });
    assert.equal(result.mean.length, H);
  });

  it('fits its validation model without the points after the earliest validation origin', () => {
    const pool = fitForecastPool(group, H, 7, 24);
    // Changing everything after each series' earliest origin leaves the validation model as is.
    const earliest = LENGTH - H - 6 * 24;
    const altered = group.map((v) => v.map((x, t) => (t >= earliest ? x * 3 + 7 : x)));
    const other = fitForecastPool(altered, H, 7, 24);
    assert.deepEqual(other?.validation.weights, pool?.validation.weights);
    assert.notDeepEqual(other?.final.weights, pool?.final.weights);
  });

  it('has no pool when no series is long enough for one window', () => {
    assert.equal(fitForecastPool([[1, 2, 3, 4, 5]], H, 7, 24), undefined);
  });
});
