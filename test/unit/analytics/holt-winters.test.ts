import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { datasetDir } from '../../support/datasets.js';
import { fitHoltWinters, forecast } from '../../../src/analytics/holt-winters.js';
import { readM4Series } from '../../../src/analytics/m4-data.js';
import { owa, scoreForecasts } from '../../../src/analytics/m4-metrics.js';
import { detectPeriod } from '../../../src/analytics/seasonality.js';

const sine = (n: number, period: number, level = 100, slope = 0) =>
  Array.from(
    { length: n },
    (_, t) => level + slope * t + 10 * Math.sin((2 * Math.PI * t) / period),
  );

describe('seasonality and Holt-Winters', () => {
  it('reruns given parameters without a search: same forecast as the fit that found them', () => {
    const values = Array.from(
      { length: 400 },
      (_, t) => 30 + 0.05 * t + 8 * Math.sin((2 * Math.PI * t) / 24) + ((t * 7919) % 13) / 13,
    );
    const { params } = fitHoltWinters(values, { period: 24 });
    assert.deepEqual(forecast(values, 24, { period: 24, params }).mean, forecast(values, 24).mean);
    // On a longer series the same parameters continue the recursions instead of searching again.
    const longer = [...values, ...values.slice(0, 48).map((v) => v + 20)];
    const rerun = forecast(longer, 24, { params });
    assert.deepEqual(rerun.params, params);
    assert.equal(rerun.mean.length, 24);
  });

  it('finds the period of a seasonal series and none in a straight line', () => {
    assert.equal(detectPeriod(sine(300, 24)), 24);
    assert.equal(detectPeriod(Array.from({ length: 200 }, (_, t) => t)), undefined);
  });

  it('forecasts a trending seasonal series closely, with the truth inside the interval', () => {
    const series = sine(480, 24, 100, 0.05);
    const truth = sine(528, 24, 100, 0.05).slice(480);
    const result = forecast(series, 48);
    assert.equal(result.params.period, 24);
    const maxError = Math.max(...result.mean.map((v, i) => Math.abs(v - (truth[i] ?? 0))));
    assert.ok(maxError < 2, `max error ${maxError}`);
    truth.forEach((v, i) =>
      assert.ok(
        v >= (result.lower[i] ?? 0) && v <= (result.upper[i] ?? 0),
        `step ${i + 1} outside the interval`,
      ),
    );
  });

  it('falls back to a damped trend for a short series', () => {
    const result = forecast([1, 2, 3, 4, 5, 6, 7, 8], 3);
    assert.equal(result.params.seasonality, 'none');
    assert.ok((result.mean[0] ?? 0) > 8 && (result.mean[2] ?? 0) < 12);
  });

  it('scores on the M4 hourly development split (figures in bench/README.md)', () => {
    const dir = datasetDir('m4-hourly');
    const train = readM4Series(join(dir, 'Hourly-train.csv'));
    const test = readM4Series(join(dir, 'Hourly-test.csv'));
    const series = [...train].map(([id, insample]) => ({
      insample,
      actual: test.get(id) ?? [],
      forecast: forecast(insample, 48).mean,
    }));
    const score = scoreForecasts(series, 24);
    const naive2 = { smape: 19.347, mase: 2.097 };
    console.log(
      `Holt-Winters on M4 hourly dev: sMAPE ${score.smape.toFixed(2)}, MASE ${score.mase.toFixed(3)}, OWA ${owa(score, naive2).toFixed(3)}`,
    );
    // Better than the Naive2 benchmark it is normalised by.
    assert.ok(owa(score, naive2) < 1);
  });
});
