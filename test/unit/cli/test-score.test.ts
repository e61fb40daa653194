/** promptfoo's combination of assertion results: weights, test thresholds, sets, named scores. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AssertionResult } from '../../../src/assertions/index.js';
import { scoreTest } from '../../../src/cli/test-score.js';
import type { AssertionGroup, PlannedTest } from '../../../src/suites/index.js';

function result(pass: boolean, score: number): AssertionResult {
  return { type: 'contains', pass, score, weight: 1, reason: '' };
}

function test(groups: AssertionGroup[], count: number, threshold?: number): PlannedTest {
  return {
    key: 'k',
    name: 'k',
    vars: {},
    prompts: [],
    assertions: Array.from({ length: count }, () => ({ type: 'contains', value: 'x' })),
    groups,
    skipped: [],
    threshold,
    expectedOutput: null,
  };
}

describe('scoreTest', () => {
  it('gives weight 0 no say in the score, while a failure still fails the test', () => {
    const t = test(
      [
        { members: [0], set: false, weight: 1 },
        { members: [1], set: false, weight: 0 },
      ],
      2,
    );
    const scored = scoreTest([result(true, 1), result(false, 0)], t);
    assert.deepEqual([scored.pass, scored.score], [false, 1]);
  });

  it('passes on the weighted score when the test has a threshold', () => {
    const t = test(
      [
        { members: [0], set: false, weight: 3 },
        { members: [1], set: false, weight: 1 },
      ],
      2,
      0.7,
    );
    const scored = scoreTest([result(true, 1), result(false, 0)], t);
    assert.deepEqual([scored.pass, scored.score], [true, 0.75]);
  });

  it('counts an expected-output check before the groups as one more assertion', () => {
    const t = test([{ members: [0], set: false, weight: 1, metric: 'm' }], 1);
    const scored = scoreTest([result(false, 0), result(true, 1)], t);
    assert.deepEqual([scored.pass, scored.score, scored.named.get('m')], [false, 0.5, 1]);
  });

  it('passes a set below its members’ all-pass when its threshold is reached', () => {
    const set: AssertionGroup = {
      members: [0, 1, 2],
      set: true,
      threshold: 0.6,
      weight: 1,
      metric: 'set',
      memberMetrics: ['a', 'a', undefined],
    };
    const scored = scoreTest([result(true, 1), result(false, 0), result(true, 1)], test([set], 3));
    assert.equal(scored.pass, true);
    assert.deepEqual(
      [...scored.named],
      [
        ['a', 1],
        ['set', 2 / 3],
      ],
    );
  });
});
