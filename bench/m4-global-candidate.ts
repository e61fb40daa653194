/**
 * The global AR as one more candidate of the forecaster's per-series choice, on the M4 hourly
 * development split: `npx tsx bench/m4-global-candidate.ts <dir> [lags] [mu]`. Every candidate
 * (forecaster.ts's own, the pooled global AR and the global AR shrunk towards each series,
 * global-ar.ts) is scored on the forecaster's 7 validation origins one day apart; the global
 * models used there are fitted only on windows whose targets end at or before each series'
 * earliest origin (no look-ahead into any validation window), and refitted on the whole train
 * parts for the final forecast. The least total validation sMAPE chooses, as in the service.
 */
import { join } from 'node:path';
import { validateCandidates } from '../src/analytics/forecaster.js';
import {
  fitGlobalAr,
  forecastGlobalAr,
  poolWindows,
  shrinkToGlobal,
  type GlobalArModel,
} from '../src/analytics/global-ar.js';
import { readM4Series } from '../src/analytics/m4-data.js';
import { owa, scoreForecasts, smape } from '../src/analytics/m4-metrics.js';

const dir = process.argv[2] ?? '/work/shared/datasets/m4-hourly';
const lags = Number(process.argv[3] ?? 168);
const mu = Number(process.argv[4] ?? 0.1);
const H = 48;
const M = 24;
const FOLDS = 7;
const options = {
  lags,
  horizon: H,
  scaleWindow: 168,
  scaling: 'standard',
  lambda: 0.01,
  stride: 1,
} as const;

const train = [...readM4Series(join(dir, 'Hourly-train.csv'))];
const test = readM4Series(join(dir, 'Hourly-test.csv'));
const naive2 = readM4Series(join(dir, 'benchmark-forecasts', 'Naive2.csv'));
const earliest = (v: readonly number[]) => v.length - H - (FOLDS - 1) * M;

const early = fitGlobalAr(
  poolWindows(
    train.map(([, v]) => v.slice(0, earliest(v))),
    options,
  ),
  options,
);
const full = fitGlobalAr(
  poolWindows(
    train.map(([, v]) => v),
    options,
  ),
  options,
);
const shrunk = (global: GlobalArModel, values: readonly number[]) => {
  const own = poolWindows([values], options);
  return own.rows > 0 ? shrinkToGlobal(own, global, mu) : global;
};

const counts: Record<string, number> = {};
const rows = train.map(([id, values]) => {
  const cuts = Array.from({ length: FOLDS }, (_, k) => values.length - H - k * M);
  const local = validateCandidates(values, H, M, FOLDS, M).map((c) => ({
    name: c.name,
    error: c.smape.reduce((s, e) => s + e, 0),
    forecast: () => c.final(values, H),
  }));
  const earlyOwn = shrunk(early, values.slice(0, earliest(values)));
  const globalError = (model: GlobalArModel) =>
    cuts.reduce((sum, cut) => {
      const f = forecastGlobalAr(model, values.slice(0, cut));
      return sum + (f === undefined ? Infinity : smape(values.slice(cut, cut + H), f));
    }, 0);
  const all = [
    ...local,
    {
      name: 'global_ar',
      error: globalError(early),
      forecast: () => forecastGlobalAr(full, values),
    },
    {
      name: 'global_ar_shrunk',
      error: globalError(earlyOwn),
      forecast: () => forecastGlobalAr(shrunk(full, values), values),
    },
  ];
  const best = all.reduce((a, b) => (b.error < a.error ? b : a));
  counts[best.name] = (counts[best.name] ?? 0) + 1;
  return {
    insample: values,
    actual: test.get(id) ?? [],
    forecast: best.forecast() ?? local[0]?.forecast() ?? [],
    reference: naive2.get(id) ?? [],
  };
});
const score = owa(
  scoreForecasts(rows, M),
  scoreForecasts(
    rows.map((r) => ({ ...r, forecast: r.reference })),
    M,
  ),
);
console.log(`lags ${lags} mu ${mu}: OWA ${score.toFixed(3)}; chosen ${JSON.stringify(counts)}`);
