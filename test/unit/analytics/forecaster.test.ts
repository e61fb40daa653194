import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forecastSeries } from '../../../src/analytics/forecaster.js';

describe('forecaster (validated choice among candidates)', () => {
  it('picks a weekly method for an hourly series with a weekly pattern, and forecasts it closely', () => {
    // Hourly: daily shape, and weekends at half the level.
    const at = (t: number) => {
      const day = Math.floor(t / 24) % 7;
      return (day >= 5 ? 50 : 100) * (1 + 0.5 * Math.sin((2 * Math.PI * (t % 24)) / 24));
    };
    const values = Array.from({ length: 24 * 7 * 6 }, (_, t) => at(t));
    const truth = Array.from({ length: 48 }, (_, h) => at(values.length + h));
    const result = forecastSeries(values, 48, { period: 24 });
    assert.match(result.method, /^weekly_/);
    const worst = Math.max(...result.mean.map((v, h) => Math.abs(v - (truth[h] ?? 0))));
    assert.ok(worst < 1, `worst error ${worst}`);
    assert.equal(result.lower.length, 48);
    result.mean.forEach((v, h) =>
      assert.ok((result.lower[h] ?? Infinity) <= v && v <= (result.upper[h] ?? -Infinity)),
    );
  });

  it('follows a daily shape that creeps up by adding the drift per day', () => {
    // Hourly, like M4's H269: a fixed daily shape rising by 0.1 a day.
    const at = (t: number) => 20 + 3 * Math.sin((2 * Math.PI * (t % 24)) / 24) + (0.1 * t) / 24;
    const values = Array.from({ length: 24 * 40 }, (_, t) => at(t));
    const result = forecastSeries(values, 48, { period: 24 });
    assert.equal(result.method, 'seasonal_naive_drift');
    const worst = Math.max(...result.mean.map((v, h) => Math.abs(v - at(values.length + h))));
    assert.ok(worst < 1e-6, `worst error ${worst}`);
  });

  it('detects the period itself and keeps intervals from shrinking with the horizon', () => {
    let seed = 17;
    const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 4;
    const values = Array.from(
      { length: 600 },
      (_, t) => 40 + 10 * Math.sin((2 * Math.PI * t) / 12) + noise(),
    );
    const result = forecastSeries(values, 24);
    assert.equal(result.period, 12);
    const widths = result.upper.map((u, h) => u - (result.lower[h] ?? 0));
    widths.forEach((w, h) => h > 0 && assert.ok(w >= (widths[h - 1] ?? 0) - 1e-9));
    assert.ok((widths[0] ?? 0) > 0);
  });

  it('falls back to a damped trend on a short series and rejects bad arguments', () => {
    const result = forecastSeries([3, 4, 5, 6, 7, 8], 3);
    assert.equal(result.method, 'holt_winters');
    assert.ok((result.mean[0] ?? 0) > 8);
    assert.throws(() => forecastSeries([1, 2, 3], 2), RangeError);
    assert.throws(() => forecastSeries([1, 2, 3, 4, 5], 0), RangeError);
  });
});
