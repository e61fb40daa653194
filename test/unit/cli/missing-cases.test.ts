import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareRuns } from '../../../src/runs/index.js';
import { missingLines } from '../../../src/cli/missing-cases.js';
import { baselineCaseLabel } from '../../../src/cli/baseline-report.js';

const result = (key: string, model: string) => ({ key, model, passed: true, score: 1 });

describe('what a candidate run lacks', () => {
  it('names a dropped model and dropped tests; nothing when the candidate has all', () => {
    const keys = Array.from({ length: 13 }, (_, i) => `p\u0000t${i}`);
    const baseline = [...keys.map((k) => result(k, 'a')), ...keys.map((k) => result(k, 'b'))];
    const candidate = keys.slice(0, 1).map((k) => result(k, 'a'));
    const { cases, models } = compareRuns({
      baseline,
      candidate,
      baselineSummary: [],
      candidateSummary: [],
      alpha: 0.05,
    });
    // The statistics alone see no change (nothing paired broke): the gate used to pass.
    assert.ok(models.every((m) => m.verdict === 'no_significant_change'));
    assert.deepEqual(missingLines(cases, baselineCaseLabel), [
      'MISSING a: 12 of 13 tests not in the candidate: p › t1, p › t2, p › t3, p › t4, p › t5, p › t6, p › t7, p › t8, p › t9, p › t10 … and 2 more',
      'MISSING b: not in the candidate run (13 tests in the baseline)',
    ]);
    const all = compareRuns({
      baseline: candidate,
      candidate: baseline,
      baselineSummary: [],
      candidateSummary: [],
      alpha: 0.05,
    });
    assert.deepEqual(missingLines(all.cases), []);
  });
});
