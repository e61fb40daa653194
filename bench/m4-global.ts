/**
 * The global AR (src/analytics/global-ar.ts) on the M4 hourly development split, settings chosen
 * honestly: `npx tsx bench/m4-global.ts <dir> [lags,…] [ratio,log,standard]`.
 * Validation = the last 48 points of every train part (the model pooled from the windows before
 * them); the setting with the best validation OWA (Naive2 computed, naive2.ts) is then refitted on
 * the whole train parts and scored on the test parts. Every setting's test OWA is printed too,
 * for information only: the choice is made on validation. Also scores the local forecaster
 * (forecaster.ts) and the plain mean of it and the global forecast, both on validation and test.
 */
import { join } from 'node:path';
import { forecastSeries } from '../src/analytics/forecaster.js';
import {
  fitGlobalAr,
  forecastGlobalAr,
  poolWindows,
  type GlobalArOptions,
} from '../src/analytics/global-ar.js';
import { readM4Series } from '../src/analytics/m4-data.js';
import { owa, scoreForecasts, type SeriesForecast } from '../src/analytics/m4-metrics.js';
import { naive2 } from '../src/analytics/naive2.js';

const dir = process.argv[2] ?? '/work/shared/datasets/m4-hourly';
const lagsList = (process.argv[3] ?? '168,336').split(',').map(Number);
const scalings = (process.argv[4] ?? 'ratio,log,standard').split(
  ',',
) as GlobalArOptions['scaling'][];
const H = 48;
const M = 24;
const LAMBDAS = [1e-5, 1e-4, 1e-3, 1e-2, 3e-2, 1e-1];

const train = [...readM4Series(join(dir, 'Hourly-train.csv'))];
const test = readM4Series(join(dir, 'Hourly-test.csv'));
const officialNaive2 = readM4Series(join(dir, 'benchmark-forecasts', 'Naive2.csv'));

interface Split {
  readonly insample: number[][];
  readonly actual: number[][];
  readonly naive2: number[][];
}
const validation: Split = {
  insample: train.map(([, v]) => v.slice(0, v.length - H)),
  actual: train.map(([, v]) => v.slice(v.length - H)),
  naive2: train.map(([, v]) => naive2(v.slice(0, v.length - H), H, M)),
};
const testing: Split = {
  insample: train.map(([, v]) => v),
  actual: train.map(([id]) => test.get(id) ?? []),
  naive2: train.map(([id]) => officialNaive2.get(id) ?? []),
};

function score(split: Split, forecasts: readonly (readonly number[])[]): number {
  const rows = (fs: readonly (readonly number[])[]): SeriesForecast[] =>
    split.insample.map((insample, i) => ({
      insample,
      actual: split.actual[i] ?? [],
      forecast: fs[i] ?? [],
    }));
  return owa(scoreForecasts(rows(forecasts), M), scoreForecasts(rows(split.naive2), M));
}

const local = {
  val: validation.insample.map((v) => forecastSeries(v, H, { period: M }).mean),
  test: testing.insample.map((v) => forecastSeries(v, H, { period: M }).mean),
};
console.log(
  `local: validation OWA ${score(validation, local.val).toFixed(3)}, test ${score(testing, local.test).toFixed(3)}`,
);

const mean2 = (a: readonly (readonly number[])[], b: readonly (readonly number[])[]) =>
  a.map((f, i) => f.map((x, h) => (x + (b[i]?.[h] ?? x)) / 2));

let best: { val: number; options: GlobalArOptions } | undefined;
for (const lags of lagsList)
  for (const scaling of scalings)
    for (const scaleWindow of [168]) {
      const base = { lags, horizon: H, scaleWindow, scaling, stride: 1, lambda: 0 };
      const started = performance.now();
      const valData = poolWindows(validation.insample, base);
      const testData = poolWindows(testing.insample, base);
      const pooled = ((performance.now() - started) / 1000).toFixed(1);
      for (const lambda of LAMBDAS) {
        const options = { ...base, lambda };
        const forecastAll = (data: typeof valData, split: Split) => {
          const model = fitGlobalAr(data, options);
          return split.insample.map((v, i) => forecastGlobalAr(model, v) ?? local.val[i] ?? []);
        };
        const gVal = forecastAll(valData, validation);
        const gTest = forecastAll(testData, testing);
        const val = score(validation, gVal);
        console.log(
          `lags ${lags} ${scaling} scale ${scaleWindow} λ ${lambda} (${valData.rows} rows, ${pooled} s): ` +
            `global val ${val.toFixed(3)} test ${score(testing, gTest).toFixed(3)}; ` +
            `mean with local val ${score(validation, mean2(gVal, local.val)).toFixed(3)} ` +
            `test ${score(testing, mean2(gTest, local.test)).toFixed(3)}`,
        );
        if (best === undefined || val < best.val) best = { val, options };
      }
    }
console.log(`chosen on validation: ${JSON.stringify(best)}`);
