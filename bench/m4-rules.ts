/**
 * Selection and combination rules over cached candidate forecasts (bench/m4-cache.ts):
 * `npx tsx bench/m4-rules.ts <inner.json>[,<inner2.json>…] <test.json> [filter]`; `DROP=a,b`
 * leaves out the candidates whose names start with those prefixes. Each rule sees only a series'
 * validation forecasts (and its in-sample part) and returns a forecast. Printed per rule: the
 * mean OWA of the inner caches' pseudo-tests (train points only: a rule may be chosen on this),
 * each of them in brackets, the OWA on the test cache with its sMAPE and MASE; then the rule the
 * pseudo-tests choose among those matching `filter`, and a 5-fold cross-validation across series
 * on the test parts (the rule chosen on 48 series, scored on the other 12; four random splits).
 */
import { readFileSync } from 'node:fs';
import { mase, owa, smape } from '../src/analytics/m4-metrics.js';

const H = 48;
const M = 24;
interface Row {
  id: string;
  insample: number[];
  actual: number[];
  naive2: number[];
  candidates: Record<string, { val: number[][]; final: number[] }>;
}
type Rule = { name: string; forecast: (row: Row) => number[] };
type Score = { smape: number; mase: number };

const [innerFile = '', testFile = '', filter = ''] = process.argv.slice(2);
/** DROP=prefix,… leaves out the candidates whose name starts with one of them. */
const drop = process.env.DROP?.split(',');
const load = (file: string) =>
  (JSON.parse(readFileSync(file, 'utf8')) as Row[]).map((row) => {
    if (drop !== undefined)
      for (const name of Object.keys(row.candidates))
        if (drop.some((d) => name.startsWith(d))) delete row.candidates[name];
    return row;
  });
const inners = innerFile.split(',').map(load);
const tested = load(testFile);

const scaleCache = new WeakMap<Row, number>();
function scale(row: Row): number {
  let s = scaleCache.get(row);
  if (s === undefined) {
    s = 0;
    const v = row.insample;
    for (let t = M; t < v.length; t++) s += Math.abs((v[t] ?? 0) - (v[t - M] ?? 0));
    s /= v.length - M;
    scaleCache.set(row, s);
  }
  return s;
}
/** The actual values after validation origin k (0 = latest). */
function actualAt(row: Row, k: number): number[] {
  const cut = row.insample.length - H - k * M;
  return row.insample.slice(cut, cut + H);
}
const mae = (a: readonly number[], f: readonly number[]) =>
  a.reduce((s, y, i) => s + Math.abs(y - (f[i] ?? 0)), 0) / a.length;

/** Per-origin error of a candidate under a criterion. */
type Criterion = (row: Row, name: string, k: number) => number;
const S_PUB = 18.383;
const A_PUB = 2.395;
const criteria: Record<string, Criterion> = {
  smape: (row, name, k) => smape(actualAt(row, k), row.candidates[name]?.val[k] ?? []),
  mase: (row, name, k) => mae(actualAt(row, k), row.candidates[name]?.val[k] ?? []) / scale(row),
  owa: (row, name, k) => {
    const f = row.candidates[name]?.val[k] ?? [];
    const a = actualAt(row, k);
    return smape(a, f) / S_PUB + mae(a, f) / scale(row) / A_PUB;
  },
  'owa-rel': (row, name, k) => {
    const f = row.candidates[name]?.val[k] ?? [];
    const sn = row.candidates.seasonal_naive?.val[k] ?? f;
    const a = actualAt(row, k);
    const snS = Math.max(1e-9, smape(a, sn));
    const snA = Math.max(1e-9, mae(a, sn));
    return smape(a, f) / snS + mae(a, f) / snA;
  },
};
const aggregates: Record<string, (v: number[]) => number> = {
  mean: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  'decay0.9': (v) => v.reduce((a, b, i) => a + b * 0.9 ** i, 0),
  'decay0.8': (v) => v.reduce((a, b, i) => a + b * 0.8 ** i, 0),
  first7: (v) => v.slice(0, 7).reduce((a, b) => a + b, 0),
};

function ranked(row: Row, criterion: Criterion, aggregate: (v: number[]) => number) {
  return Object.entries(row.candidates)
    .map(([name, c]) => ({
      name,
      error: aggregate(c.val.map((_, k) => criterion(row, name, k))),
      final: c.final,
    }))
    .sort((a, b) => a.error - b.error);
}
const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

/** Pooled candidates: global-pool.ts's and bench/m4-extra.ts's (prefixes log, l168, len). */
const isGlobal = (n: string) => /^(global|log|l168|len)_/.test(n);
const rules: Rule[] = [];
for (const [cName, criterion] of Object.entries(criteria))
  for (const [aName, aggregate] of Object.entries(aggregates)) {
    const memo = new WeakMap<Row, ReturnType<typeof ranked>>();
    const rank = (row: Row) => {
      let r = memo.get(row);
      if (r === undefined) memo.set(row, (r = ranked(row, criterion, aggregate)));
      return r;
    };
    rules.push({ name: `best ${cName} ${aName}`, forecast: (row) => rank(row)[0]?.final ?? [] });
    for (const k of [2, 3, 4])
      for (const how of ['mean', 'median'] as const) {
        if (how === 'median' && k === 2) continue;
        rules.push({
          name: `top${k} ${how} ${cName} ${aName}`,
          forecast: (row) => {
            const top = rank(row).slice(0, k);
            return Array.from({ length: H }, (_, h) => {
              const v = top.map((c) => c.final[h] ?? 0);
              return how === 'mean' ? v.reduce((a, b) => a + b, 0) / v.length : median(v);
            });
          },
        });
      }
    for (const x of [0.05, 0.1, 0.2])
      rules.push({
        name: `best+second if within ${x * 100}% ${cName} ${aName}`,
        forecast: (row) => {
          const [a, b] = rank(row);
          if (a === undefined) return [];
          if (b === undefined || b.error > (1 + x) * a.error) return a.final;
          return a.final.map((v, h) => (v + (b.final[h] ?? 0)) / 2);
        },
      });
    for (const x of [0.1, 0.2, 0.5])
      rules.push({
        name: `best local + best global if within ${x * 100}% ${cName} ${aName}`,
        forecast: (row) => {
          const r = rank(row);
          const a = r[0];
          if (a === undefined) return [];
          const local = r.find((c) => !isGlobal(c.name));
          const global = r.find((c) => isGlobal(c.name));
          if (local === undefined || global === undefined) return a.final;
          const other = isGlobal(a.name) ? local : global;
          if (other.error > (1 + x) * a.error) return a.final;
          return a.final.map((v, h) => (v + (other.final[h] ?? 0)) / 2);
        },
      });
  }

/** Candidates extended with the equal mean of every pair (validated on the same origins). */
function withPairs(row: Row, only?: (a: string, b: string) => boolean): Row {
  const names = Object.keys(row.candidates);
  const candidates = { ...row.candidates };
  for (let i = 0; i < names.length; i++)
    for (let j = i + 1; j < names.length; j++) {
      const a = row.candidates[names[i] ?? ''];
      const b = row.candidates[names[j] ?? ''];
      if (a === undefined || b === undefined) continue;
      if (only !== undefined && !only(names[i] ?? '', names[j] ?? '')) continue;
      const mix = (x: number[], y: number[]) => x.map((v, h) => (v + (y[h] ?? 0)) / 2);
      candidates[`${names[i]}+${names[j]}`] = {
        val: a.val.map((f, k) => mix(f, b.val[k] ?? [])),
        final: mix(a.final, b.final),
      };
    }
  return { ...row, candidates };
}
const pairMemo = new Map<string, WeakMap<Row, Row>>();
const pairs = (row: Row, key: string, only?: (a: string, b: string) => boolean) => {
  let memo = pairMemo.get(key);
  if (memo === undefined) pairMemo.set(key, (memo = new WeakMap()));
  let r = memo.get(row);
  if (r === undefined) memo.set(row, (r = withPairs(row, only)));
  return r;
};
for (const [cName, criterion] of Object.entries(criteria))
  for (const [aName, aggregate] of Object.entries(aggregates)) {
    rules.push({
      name: `pairs: best ${cName} ${aName}`,
      forecast: (row) => ranked(pairs(row, 'all'), criterion, aggregate)[0]?.final ?? [],
    });
    rules.push({
      name: `local-global pairs: best ${cName} ${aName}`,
      forecast: (row) =>
        ranked(
          pairs(row, 'lg', (a, b) => isGlobal(a) !== isGlobal(b)),
          criterion,
          aggregate,
        )[0]?.final ?? [],
    });
  }
const picks = (names: string[]) => ({
  name: `mean of the picks of ${names.join(', ')}`,
  forecast: (row: Row) => {
    const chosen = names.map((n) => {
      const [c, a] = n.split(' ');
      return (
        ranked(row, criteria[c ?? ''] ?? criteria.smape, aggregates[a ?? ''] ?? aggregates.mean)[0]
          ?.final ?? []
      );
    });
    return Array.from(
      { length: H },
      (_, h) => chosen.reduce((s, f) => s + (f[h] ?? 0), 0) / chosen.length,
    );
  },
});
rules.push(picks(['smape mean', 'mase mean']));
rules.push(picks(['smape mean', 'mase mean', 'smape decay0.8']));
rules.push(picks(['smape mean', 'owa mean', 'mase mean', 'smape decay0.9', 'mase decay0.9']));

/** The chosen candidate's forecast corrected by its mean validation error (level or per step). */
for (const origins of [1, 3, 7])
  for (const shrink of [0.25, 0.5, 1])
    for (const kind of ['ratio', 'shift', 'step'] as const)
      rules.push({
        name: `correct ${kind} ${shrink} over ${origins} origins: best smape mean`,
        forecast: (row) => {
          const best = ranked(row, criteria.smape, aggregates.mean)[0];
          if (best === undefined) return [];
          const val = row.candidates[best.name]?.val ?? [];
          const n = Math.min(origins, val.length);
          if (kind === 'ratio') {
            let a = 0;
            let f = 0;
            for (let k = 0; k < n; k++) {
              a += actualAt(row, k).reduce((x, y) => x + y, 0);
              f += (val[k] ?? []).reduce((x, y) => x + y, 0);
            }
            const r = f > 0 && a > 0 ? a / f : 1;
            return best.final.map((v) => v * (1 + shrink * (r - 1)));
          }
          const bias = new Array<number>(H).fill(0);
          for (let k = 0; k < n; k++) {
            const act = actualAt(row, k);
            for (let h = 0; h < H; h++)
              bias[h] = (bias[h] ?? 0) + ((act[h] ?? 0) - (val[k]?.[h] ?? 0)) / n;
          }
          const mean = bias.reduce((x, y) => x + y, 0) / H;
          return best.final.map((v, h) => v + shrink * (kind === 'shift' ? mean : (bias[h] ?? 0)));
        },
      });
function scores(rule: Rule, rows: readonly Row[]): { ours: Score[]; ref: Score[] } {
  const ours: Score[] = [];
  const ref: Score[] = [];
  for (const row of rows) {
    const f = rule.forecast(row);
    ours.push({ smape: smape(row.actual, f), mase: mase(row.insample, row.actual, f, M) });
    ref.push({
      smape: smape(row.actual, row.naive2),
      mase: mase(row.insample, row.actual, row.naive2, M),
    });
  }
  return { ours, ref };
}
const avg = (s: Score[]) => ({
  smape: s.reduce((a, b) => a + b.smape, 0) / s.length,
  mase: s.reduce((a, b) => a + b.mase, 0) / s.length,
});
const owaOf = (rule: Rule, rows: readonly Row[]) => {
  const { ours, ref } = scores(rule, rows);
  return owa(avg(ours), avg(ref));
};

const family = rules.filter((r) => r.name.includes(filter));
const results = family.map((rule) => ({
  rule,
  inners: inners.map((rows) => owaOf(rule, rows)),
  inner: inners.reduce((sum, rows) => sum + owaOf(rule, rows), 0) / inners.length,
  test: owaOf(rule, tested),
  detail: avg(scores(rule, tested).ours),
}));
for (const r of results)
  console.log(
    `${r.inner.toFixed(3)} [${r.inners.map((x) => x.toFixed(3)).join(' ')}]  ${r.test.toFixed(3)}  (sMAPE ${r.detail.smape.toFixed(2)}, MASE ${r.detail.mase.toFixed(3)})  ${r.rule.name}`,
  );
const byInner = results.reduce((a, b) => (b.inner < a.inner ? b : a));
console.log(
  `chosen on the pseudo-test: ${byInner.rule.name}: inner ${byInner.inner.toFixed(3)}, test ${byInner.test.toFixed(3)}`,
);

const splits: number[] = [];
const chosen = new Map<string, number>();
for (const seed of [1, 2, 3, 4]) {
  let state = seed;
  const random = () => (state = (state * 16807) % 2147483647) / 2147483647;
  const order = tested.map((row) => ({ row, key: random() })).sort((a, b) => a.key - b.key);
  const ours: Score[] = [];
  const ref: Score[] = [];
  for (let fold = 0; fold < 5; fold++) {
    const train = order.filter((_, i) => i % 5 !== fold).map((o) => o.row);
    const held = order.filter((_, i) => i % 5 === fold).map((o) => o.row);
    const best = family.reduce((a, b) => (owaOf(b, train) < owaOf(a, train) ? b : a));
    chosen.set(best.name, (chosen.get(best.name) ?? 0) + 1);
    const s = scores(best, held);
    ours.push(...s.ours);
    ref.push(...s.ref);
  }
  splits.push(owa(avg(ours), avg(ref)));
}
console.log(
  `cross-validated across series (test parts): ${splits.map((s) => s.toFixed(3)).join(' / ')}; chosen ${JSON.stringify(Object.fromEntries(chosen))}`,
);
