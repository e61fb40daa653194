/**
 * How the forecaster's per-series choice among its candidates could be made, on the M4 hourly
 * development split (`npx tsx bench/m4-selection.ts <dir>`; ~5 s): every candidate is validated
 * once per series (7 origins a day apart, as the forecaster does), then each selection rule picks
 * a candidate (or averages several) from the validation errors alone, and is scored by OWA on
 * the 60 series (in-sample: the rule was chosen looking at these test parts) and by a 5-fold
 * cross-validation across series (the rule chosen on 48 series' test parts, scored on the other
 * 12; four random splits), which is the figure a change must hold under. Prints both.
 */
import { join } from 'node:path';
import { validateCandidates } from '../src/analytics/forecaster.js';
import { readM4Series } from '../src/analytics/m4-data.js';
import { mase, owa, smape } from '../src/analytics/m4-metrics.js';

const dir = process.argv[2] ?? '/work/shared/datasets/m4-hourly';
const H = 48;
const M = 24;

interface Row {
  readonly naive2: { smape: number; mase: number };
  /** Validation sMAPE per origin (latest first) and the test score of each candidate. */
  readonly candidates: Map<string, { val: number[]; forecast: number[]; test: Score }>;
  readonly score: (forecast: readonly number[]) => Score;
}
type Score = { smape: number; mase: number };
type Rule = { name: string; pick: (row: Row) => Score };

const train = readM4Series(join(dir, 'Hourly-train.csv'));
const test = readM4Series(join(dir, 'Hourly-test.csv'));
const naive2 = readM4Series(join(dir, 'benchmark-forecasts', 'Naive2.csv'));
const rows: Row[] = [...train].map(([id, insample]) => {
  const actual = test.get(id) ?? [];
  const score = (forecast: readonly number[]) => ({
    smape: smape(actual, forecast),
    mase: mase(insample, actual, forecast, M),
  });
  const candidates = new Map(
    validateCandidates(insample, H, M, 7, M).map((c) => {
      const forecast = c.final(insample, H);
      return [c.name, { val: c.smape, forecast, test: score(forecast) }] as const;
    }),
  );
  return { naive2: score(naive2.get(id) ?? []), candidates, score };
});

function owaOf(scores: readonly { row: Row; score: Score }[]): number {
  const mean = (f: (s: { row: Row; score: Score }) => number) =>
    scores.reduce((sum, s) => sum + f(s), 0) / scores.length;
  return owa(
    { smape: mean((s) => s.score.smape), mase: mean((s) => s.score.mase) },
    { smape: mean((s) => s.row.naive2.smape), mase: mean((s) => s.row.naive2.mase) },
  );
}

const median = (v: readonly number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
const sum = (v: readonly number[]) => v.reduce((a, b) => a + b, 0);
const AGGREGATES: Record<string, (v: readonly number[]) => number> = {
  sum,
  median,
  'drop-worst': (v) => sum(v) - Math.max(...v),
  'decay-0.9': (v) => sum(v.map((x, i) => x * 0.9 ** i)),
  'decay-0.8': (v) => sum(v.map((x, i) => x * 0.8 ** i)),
  'decay-0.7': (v) => sum(v.map((x, i) => x * 0.7 ** i)),
  worst: (v) => Math.max(...v),
};

function errors(row: Row, aggregate: (v: readonly number[]) => number): Map<string, number> {
  return new Map([...row.candidates].map(([name, c]) => [name, aggregate(c.val)]));
}
const least = (e: Map<string, number>) => [...e].reduce((a, b) => (b[1] < a[1] ? b : a))[0];

const rules: Rule[] = [];
for (const [name, aggregate] of Object.entries(AGGREGATES))
  rules.push({
    name: `least ${name}`,
    pick: (row) => row.candidates.get(least(errors(row, aggregate)))?.test ?? row.naive2,
  });
const DEFAULTS = [
  'seasonal_naive',
  'seasonal_naive_drift',
  'weekly_naive',
  'weekly_mean_3',
  'weekly_scaled_3',
  'holt_winters',
];
for (const fallback of DEFAULTS)
  for (const margin of [0.02, 0.05, 0.1, 0.2])
    rules.push({
      name: `${fallback} unless the best is ${margin * 100} % better`,
      pick: (row) => {
        const e = errors(row, sum);
        const best = least(e);
        const own = e.get(fallback);
        const name =
          own !== undefined && own <= (1 + margin) * (e.get(best) ?? 0) ? fallback : best;
        return row.candidates.get(name)?.test ?? row.naive2;
      },
    });
for (const how of ['mean', 'median'] as const)
  for (const margin of [0.02, 0.05, 0.1, 0.15, 0.2, 0.3])
    rules.push({
      name: `${how} of the candidates within ${margin * 100} % of the best`,
      pick: (row) => {
        const e = errors(row, sum);
        const bound = (1 + margin) * (e.get(least(e)) ?? 0);
        const kept = [...row.candidates].filter(([n]) => (e.get(n) ?? Infinity) <= bound);
        const forecast = Array.from({ length: H }, (_, h) => {
          const values = kept.map(([, c]) => c.forecast[h] ?? 0);
          return how === 'mean' ? sum(values) / values.length : median(values);
        });
        return row.score(forecast);
      },
    });

const scoreOf = (rule: Rule, subset: readonly Row[]) =>
  owaOf(subset.map((row) => ({ row, score: rule.pick(row) })));

/** Out-of-fold OWA of choosing among `family` on 4 of 5 folds, for four random splits. */
function crossValidate(family: readonly Rule[]): { splits: number[]; chosen: string[] } {
  const splits: number[] = [];
  const chosen: string[] = [];
  for (const seed of [1, 2, 3, 4]) {
    let state = seed;
    const random = () => (state = (state * 16807) % 2147483647) / 2147483647;
    const order = rows.map((row) => ({ row, key: random() })).sort((a, b) => a.key - b.key);
    const outOfFold: { row: Row; score: Score }[] = [];
    for (let fold = 0; fold < 5; fold++) {
      const inner = order.filter((_, i) => i % 5 !== fold).map((o) => o.row);
      const best = family.reduce((a, b) => (scoreOf(b, inner) < scoreOf(a, inner) ? b : a));
      chosen.push(best.name);
      for (const { row } of order.filter((_, i) => i % 5 === fold))
        outOfFold.push({ row, score: best.pick(row) });
    }
    splits.push(owaOf(outOfFold));
  }
  return { splits, chosen };
}

const oracle = owaOf(
  rows.map((row) => ({
    row,
    score: [...row.candidates.values()].reduce((a, b) => (b.test.smape < a.test.smape ? b : a))
      .test,
  })),
);
console.log(`oracle (the least test sMAPE per series, after the fact): OWA ${oracle.toFixed(3)}`);
for (const rule of rules) console.log(`${scoreOf(rule, rows).toFixed(3)}  ${rule.name}`);
const cv = crossValidate(rules);
const counts = new Map<string, number>();
for (const name of cv.chosen) counts.set(name, (counts.get(name) ?? 0) + 1);
console.log(
  `cross-validated over all rules: ${cv.splits.map((s) => s.toFixed(3)).join(' / ')} (mean ${(
    sum(cv.splits) / cv.splits.length
  ).toFixed(3)}); chosen ${JSON.stringify(Object.fromEntries(counts))}`,
);
