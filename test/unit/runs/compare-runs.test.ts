/** Run comparison: McNemar's exact p-value checked against hand arithmetic, and the verdicts. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareRuns,
  mcnemarExactP,
  passHatK,
  type ComparedResult,
} from '../../../src/runs/compare/index.js';

/** `n` test cases per outcome pair: [baseline passed, candidate passed]. */
function paired(model: string, groups: [boolean, boolean, number][]) {
  const baseline: ComparedResult[] = [];
  const candidate: ComparedResult[] = [];
  let i = 0;
  for (const [before, after, n] of groups) {
    for (let j = 0; j < n; j++, i++) {
      baseline.push({ key: `case ${i}`, model, passed: before, score: before ? 1 : 0 });
      candidate.push({ key: `case ${i}`, model, passed: after, score: after ? 1 : 0 });
    }
  }
  return { baseline, candidate };
}

describe('run comparison', () => {
  it('computes the exact McNemar p-value the hand arithmetic gives', () => {
    // b = 9 broken, c = 1 fixed: n = 10 discordant pairs, k = min(b, c) = 1.
    // P[X ≤ 1] for X ~ Binomial(10, ½) = (C(10,0) + C(10,1)) / 2^10 = (1 + 10) / 1024 = 11/1024.
    // Two-sided: p = 2 · 11/1024 = 22/1024 = 0.021484375.
    assert.equal(mcnemarExactP(9, 1), 22 / 1024);
    assert.equal(mcnemarExactP(1, 9), 0.021484375);
    // b = 2, c = 5: n = 7, k = 2: (C(7,0) + C(7,1) + C(7,2)) / 2^7 = (1 + 7 + 21) / 128 = 29/128;
    // p = 58/128 = 0.453125.
    assert.equal(mcnemarExactP(2, 5), 0.453125);
    // b = c = 3: n = 6, k = 3: (1 + 6 + 15 + 20) / 64 = 42/64; doubled 84/64 > 1 → p = 1.
    assert.equal(mcnemarExactP(3, 3), 1);
    assert.equal(mcnemarExactP(0, 0), 1);
    // Large n stays finite: b = 600, c = 400 gives a tiny but positive p.
    const p = mcnemarExactP(600, 400);
    assert.ok(p > 0 && p < 1e-9, String(p));
  });

  it('labels verdict changes and calls a significant drop a regression', () => {
    const { baseline, candidate } = paired('m', [
      [true, false, 9], // broken
      [false, true, 1], // fixed
      [true, true, 20], // still passing
      [false, false, 5], // still failing
    ]);
    baseline.push({ key: 'gone', model: 'm', passed: true, score: 1 });
    candidate.push({ key: 'added', model: 'm', passed: false, score: 0.5 });
    const { models, cases } = compareRuns({
      baseline,
      candidate,
      baselineSummary: [],
      candidateSummary: [],
      alpha: 0.05,
    });
    const [m] = models;
    assert.deepEqual(m?.counts, {
      broken: 9,
      fixed: 1,
      still_passing: 20,
      still_failing: 5,
      new: 1,
      removed: 1,
    });
    assert.equal(m?.p_value, 22 / 1024);
    assert.equal(m?.verdict, 'regression');
    assert.equal(m?.test, 'mcnemar_exact');
    assert.equal(m?.paired_cases, 35);
    assert.equal(cases.find((c) => c.key === 'case 0')?.score_delta, -1);
    assert.equal(cases.find((c) => c.key === 'gone')?.change, 'removed');
    assert.equal(cases.find((c) => c.key === 'added')?.change, 'new');

    const better = compareRuns({
      baseline: candidate,
      candidate: baseline,
      baselineSummary: [],
      candidateSummary: [],
      alpha: 0.05,
    });
    assert.equal(better.models[0]?.verdict, 'improvement');
    // At α = 0.01 the same data is not significant (p ≈ 0.0215).
    const strict = compareRuns({
      baseline,
      candidate,
      baselineSummary: [],
      candidateSummary: [],
      alpha: 0.01,
    });
    assert.equal(strict.models[0]?.verdict, 'no_significant_change');
  });

  it('uses a bootstrap interval and reports pass^k with repetitions', () => {
    const rows = (passesPerCase: number[], tries: number): ComparedResult[] =>
      passesPerCase.flatMap((passes, i) =>
        Array.from({ length: tries }, (_, t) => ({
          key: `c${i}`,
          model: 'm',
          passed: t < passes,
          score: t < passes ? 1 : 0,
        })),
      );
    const baseline = rows(Array<number>(30).fill(3), 3);
    const candidate = rows(Array<number>(30).fill(1), 3);
    const [m] = compareRuns({
      baseline,
      candidate,
      baselineSummary: [],
      candidateSummary: [],
      alpha: 0.05,
    }).models;
    assert.equal(m?.test, 'bootstrap');
    assert.deepEqual(m?.interval, { lower: -2 / 3, upper: -2 / 3 });
    assert.equal(m?.verdict, 'regression');
    assert.equal(m?.flaky_cases.candidate, 30);
    // 1 of 3 tries passes: pass^1 = 1/3, pass^2 = C(1,2)/C(3,2) = 0, pass^3 = 0.
    assert.deepEqual(m?.pass_hat_k.candidate, [1 / 3, 0, 0]);
    // 2 of 3: pass^1 = 2/3, pass^2 = C(2,2)/C(3,2) = 1/3, pass^3 = 0.
    assert.deepEqual(passHatK([{ passes: 2, tries: 3 }]), [2 / 3, 1 / 3, 0]);
  });
});
