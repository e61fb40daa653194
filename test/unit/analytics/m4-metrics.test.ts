import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { datasetDir } from '../../support/datasets.js';
import { readM4Series } from '../../../src/analytics/m4-data.js';
import { naive2 } from '../../../src/analytics/naive2.js';
import {
  mase,
  owa,
  scoreForecasts,
  smape,
  type SeriesForecast,
} from '../../../src/analytics/m4-metrics.js';

const DIR = datasetDir('m4-hourly');

describe('M4 accuracy measures', () => {
  it('computes sMAPE and MASE on a worked example', () => {
    assert.equal(smape([100, 200], [110, 180]), 100 * (10 / 210 + 20 / 380));
    // in-sample seasonal naive error with m = 2: |3-1|, |4-2| → scale 2
    assert.equal(mase([1, 2, 3, 4], [5, 6], [4, 8], 2), 1.5 / 2);
    assert.equal(owa({ smape: 10, mase: 1 }, { smape: 20, mase: 2 }), 0.5);
  });

  it('reproduces the published Naive2 and sNaive scores on the development split', () => {
    const train = readM4Series(join(DIR, 'Hourly-train.csv'));
    const test = readM4Series(join(DIR, 'Hourly-test.csv'));
    const score = (method: string) => {
      const forecasts = readM4Series(join(DIR, 'benchmark-forecasts', `${method}.csv`));
      const series: SeriesForecast[] = [...forecasts].map(([id, forecast]) => ({
        insample: train.get(id) ?? [],
        actual: test.get(id) ?? [],
        forecast,
      }));
      assert.equal(series.length, 60);
      return scoreForecasts(series, 24);
    };
    const naive2 = score('Naive2');
    const snaive = score('sNaive');
    assert.equal(naive2.smape.toFixed(3), '19.347');
    assert.equal(naive2.mase.toFixed(3), '2.097');
    assert.equal(snaive.smape.toFixed(3), '16.636');
    assert.equal(snaive.mase.toFixed(3), '1.245');
    assert.equal(owa(snaive, naive2).toFixed(3), '0.727');
  });
});

describe('Naive2 (the OWA reference) computed here', () => {
  it('reproduces the official Naive2 forecasts of the development split', () => {
    const train = readM4Series(join(DIR, 'Hourly-train.csv'));
    const test = readM4Series(join(DIR, 'Hourly-test.csv'));
    const official = readM4Series(join(DIR, 'benchmark-forecasts', 'Naive2.csv'));
    let worst = 0;
    const series: SeriesForecast[] = [];
    for (const [id, insample] of train) {
      const forecast = naive2(insample, 48, 24);
      const reference = official.get(id) ?? [];
      forecast.forEach((v, h) => {
        const r = reference[h] ?? NaN;
        worst = Math.max(worst, Math.abs(v - r) / Math.max(1, Math.abs(r)));
      });
      series.push({ insample, actual: test.get(id) ?? [], forecast });
    }
    assert.ok(worst < 1e-4, `largest relative difference ${worst}`);
    const score = scoreForecasts(series, 24);
    assert.equal(score.smape.toFixed(3), '19.347');
    assert.equal(score.mase.toFixed(3), '2.097');
  });
});
