/**
 * Caches every candidate's forecasts on the M4 hourly development split, so that selection and
 * combination rules can be compared in seconds (bench/m4-rules.ts):
 * `npx tsx bench/m4-cache.ts <dir> <folds> <test|inner> <out.json> [back]`.
 * `test`: the forecaster's view of each whole train part (validation origins one day apart, the
 * final forecast scored on the test part). `inner`: the same with the last 48 train points held
 * back as a pseudo-test (or the 48 points ending `back` - 48 points earlier: `back` 72, 96 …
give more pseudo-tests), so a rule can be chosen without the test parts. The global AR pool is
 * fitted on the same views (global-pool.ts). Writes, per series: the in-sample values, the
 * 48 actual values, Naive2's forecast, and each candidate's forecast at every validation origin
 * (latest first) and from the whole in-sample part.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateCandidates } from '../src/analytics/forecaster.js';
import { fitForecastPool } from '../src/analytics/global-pool.js';
import { readM4Series } from '../src/analytics/m4-data.js';
import { naive2 } from '../src/analytics/naive2.js';

const [
  dir = '/work/shared/datasets/m4-hourly',
  foldsArg = '7',
  mode = 'test',
  out = 'm4.json',
  backArg = '48',
] = process.argv.slice(2);
const back = Number(backArg);
const H = 48;
const M = 24;
const folds = Number(foldsArg);

const train = readM4Series(join(dir, 'Hourly-train.csv'));
const test = readM4Series(join(dir, 'Hourly-test.csv'));
const official = readM4Series(join(dir, 'benchmark-forecasts', 'Naive2.csv'));
const views = [...train].map(([id, values]) =>
  mode === 'inner'
    ? {
        id,
        insample: values.slice(0, values.length - back),
        actual: values.slice(values.length - back, values.length - back + H),
        naive2: undefined,
      }
    : { id, insample: values, actual: test.get(id) ?? [], naive2: official.get(id) },
);
const started = performance.now();
const pool = fitForecastPool(
  views.map((v) => v.insample),
  H,
  folds,
  M,
);
const rows = views.map((view) => {
  const candidates = Object.fromEntries(
    validateCandidates(view.insample, H, M, folds, M, pool).map((c) => [
      c.name,
      { val: c.forecasts, final: c.final(view.insample, H) },
    ]),
  );
  return {
    id: view.id,
    insample: view.insample,
    actual: view.actual,
    naive2: view.naive2 ?? naive2(view.insample, H, M),
    candidates,
  };
});
writeFileSync(out, JSON.stringify(rows));
console.log(`${rows.length} series, ${((performance.now() - started) / 1000).toFixed(1)} s`);
