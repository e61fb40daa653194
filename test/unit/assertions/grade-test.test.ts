/**
 * promptfoo's combination of assertion results, one function for the run engine's stored
 * verdict and the eval report: weights, test thresholds (a set around the assertions), sets,
 * named scores; and evaluateAssertions (what the engine stores) gives the same verdict.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  evaluateAssertions,
  gradeTest,
  type AssertionResult,
  type AssertionSpec,
} from '../../../src/assertions/index.js';

function result(pass: boolean, score: number): AssertionResult {
  return { type: 'contains', pass, score, weight: 1, reason: '' };
}

const leaf = (over: Partial<AssertionSpec> = {}): AssertionSpec => ({
  type: 'contains',
  value: 'x',
  ...over,
});

describe('gradeTest', () => {
  it('gives weight 0 no say in the score, while a failure still fails the test', () => {
    const graded = gradeTest([leaf(), leaf({ weight: 0 })], [result(true, 1), result(false, 0)]);
    assert.deepEqual([graded.pass, graded.score], [false, 1]);
  });

  it('passes on the weighted score when the test has a threshold', () => {
    const specs: AssertionSpec[] = [
      { type: 'assert-set', threshold: 0.7, assert: [leaf({ weight: 3 }), leaf()] },
    ];
    const graded = gradeTest(specs, [result(true, 1), result(false, 0)]);
    assert.deepEqual([graded.pass, graded.score], [true, 0.75]);
  });

  it('counts an expected-output check before the assertions as one more assertion', () => {
    const graded = gradeTest([leaf({ metric: 'm' })], [result(false, 0), result(true, 1)]);
    assert.deepEqual([graded.pass, graded.score, graded.named.get('m')], [false, 0.5, 1]);
  });

  it('passes a set below its members’ all-pass when its threshold is reached', () => {
    const specs: AssertionSpec[] = [
      {
        type: 'assert-set',
        threshold: 0.6,
        metric: 'set',
        assert: [leaf({ metric: 'a' }), leaf({ metric: 'a' }), leaf()],
      },
    ];
    const graded = gradeTest(specs, [result(true, 1), result(false, 0), result(true, 1)]);
    assert.equal(graded.pass, true);
    assert.deepEqual(
      [...graded.named],
      [
        ['a', 1],
        ['set', 2 / 3],
      ],
    );
  });

  it('is the verdict evaluateAssertions stores: a set at its threshold passes (flat: fails)', async () => {
    const specs: AssertionSpec[] = [
      {
        type: 'assert-set',
        threshold: 0.5,
        assert: [leaf({ value: 'Paris' }), leaf({ value: 'London' })],
      },
      leaf({ value: 'capital', weight: 2 }),
    ];
    const evaluation = await evaluateAssertions(specs, {
      output: 'The capital is Paris',
      latencyMs: 1,
      costUsd: null,
      signal: new AbortController().signal,
      embed: () => Promise.reject(new Error('unused')),
      grade: () => Promise.reject(new Error('unused')),
    });
    assert.deepEqual(
      evaluation.results.map((r) => r.pass),
      [true, false, true],
    );
    assert.equal(evaluation.pass, true);
    assert.equal(evaluation.score, (0.5 * 1 + 1 * 2) / 3);
    assert.equal(gradeTest(specs, evaluation.results).pass, evaluation.pass);
  });
});
