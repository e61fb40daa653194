/**
 * Adds global AR candidates of other settings to a candidate cache (bench/m4-cache.ts), validated
 * as global-pool.ts validates its own:
 * `npx tsx bench/m4-extra.ts <in.json> <out.json> <prefix> <lags> <scaling> <cluster> [folds]`.
 * `cluster`: `all` (one pool), `length` (a pool per in-sample length above / below 800 points) or
 * a number x (a pool for series whose autocorrelation at 168 h exceeds that at 24 h by more than
 * x, one for the rest). Adds `<prefix>_ar` and `<prefix>_ar_shrunk`, and `<prefix>_mix`: the mean
 * of `<prefix>_ar` and the cache's `global_ar`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  fitForecastPool,
  GLOBAL_AR_DEFAULTS,
  poolCandidates,
} from '../src/analytics/global-pool.js';
import { autocorrelation } from '../src/analytics/seasonality.js';

interface Row {
  id: string;
  insample: number[];
  candidates: Record<string, { val: number[][]; final: number[] }>;
}
const [
  input = '',
  out = '',
  prefix = 'extra',
  lags = '168',
  scaling = 'standard',
  cluster = 'all',
  foldsArg = '7',
] = process.argv.slice(2);
const folds = Number(foldsArg);
const H = 48;
const M = 24;
const rows = JSON.parse(readFileSync(input, 'utf8')) as Row[];
const key = (v: number[]) =>
  cluster === 'all'
    ? true
    : cluster === 'length'
      ? v.length > 800
      : autocorrelation(v, 168) - autocorrelation(v, 24) > Number(cluster);
const groups = [rows.filter((r) => key(r.insample)), rows.filter((r) => !key(r.insample))];
console.log(`groups: ${groups.map((g) => g.length).join(' / ')}`);
const settings = {
  ...GLOBAL_AR_DEFAULTS,
  lags: Number(lags),
  scaling: scaling as 'standard' | 'ratio' | 'log',
};
const mix = (a: number[], b: number[]) => a.map((v, h) => (v + (b[h] ?? v)) / 2);
for (const group of groups) {
  if (group.length === 0) continue;
  const pool = fitForecastPool(
    group.map((r) => r.insample),
    H,
    folds,
    M,
    settings,
  );
  if (pool === undefined) continue;
  for (const row of group) {
    const v = row.insample;
    const cuts = Array.from({ length: folds }, (_, k) => v.length - H - k * M);
    const usable = cuts[cuts.length - 1] ?? v.length;
    const fallback = (x: readonly number[], h: number) =>
      Array.from({ length: h }, (_, i) => x[x.length - M + (i % M)] ?? 0);
    for (const [name, c] of poolCandidates(pool, v, usable, H, fallback))
      row.candidates[name.replace('global', prefix)] = {
        val: cuts.map((cut) => c.validate(v.slice(0, cut), H)),
        final: c.final(v, H),
      };
    const own = row.candidates[`${prefix}_ar`];
    const global = row.candidates.global_ar;
    if (own !== undefined && global !== undefined)
      row.candidates[`${prefix}_mix`] = {
        val: own.val.map((f, k) => mix(f, global.val[k] ?? [])),
        final: mix(own.final, global.final),
      };
  }
}
writeFileSync(out, JSON.stringify(rows));
