/**
 * promptfoo's comparative verdicts (assertions/comparative.ts) on hand-made rows: max-score's
 * average, sum, weights, ties and threshold; select-best's reading of the grader's answer; the
 * simulated grader's pick.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  maxScoreVerdicts,
  selectBestMessages,
  selectBestVerdicts,
  type AssertionResult,
} from '../../../src/assertions/index.js';
import { simulatedGrade } from '../../../src/providers/simulated-output.js';

const r = (type: string, score: number): AssertionResult => ({
  type,
  pass: score >= 0.5,
  score,
  weight: 1,
  reason: '',
});
const passes = (v: readonly { pass: boolean }[]) => v.map((x) => x.pass);

describe('max-score', () => {
  it('picks the highest average of the other assertions, the first on a tie', () => {
    assert.deepEqual(
      passes(maxScoreVerdicts(undefined, [[r('a', 0.2)], [r('a', 0.9)], [r('a', 0.9)]])),
      [false, true, false],
    );
    assert.deepEqual(passes(maxScoreVerdicts(undefined, [[r('a', 0.5)], [r('a', 0.5)]])), [
      true,
      false,
    ]);
  });

  it('weights by assertion type, sums with method sum, and needs the threshold', () => {
    const rows = [
      [r('equals', 1), r('contains', 0)],
      [r('equals', 0), r('contains', 1), r('regex', 1)],
    ];
    // average: 0.5 vs 0.667; equals×3: 0.75 vs 0.4; sum with equals×3: 3 vs 2.
    assert.deepEqual(passes(maxScoreVerdicts({}, rows)), [false, true]);
    assert.deepEqual(passes(maxScoreVerdicts({ weights: { equals: 3 } }, rows)), [true, false]);
    const sum = maxScoreVerdicts({ method: 'sum', weights: { equals: 3 } }, rows);
    assert.deepEqual(passes(sum), [true, false]);
    assert.equal(sum[1]?.reason, 'Not selected (score: 2.000, max: 3.000)');
    const high = maxScoreVerdicts({ threshold: 0.7 }, rows);
    assert.deepEqual(passes(high), [false, false]);
    assert.equal(high[1]?.reason, 'Not selected - score 0.667 below threshold 0.7');
  });

  it('fails every output with fewer than two outputs or without other assertions', () => {
    assert.match(
      maxScoreVerdicts(undefined, [[r('a', 1)]])[0]?.reason ?? '',
      /at least two outputs/,
    );
    const none = maxScoreVerdicts(undefined, [[r('a', 1)], []]);
    assert.deepEqual(passes(none), [false, false]);
    assert.match(none[0]?.reason ?? '', /requires at least one other assertion/);
  });
});

describe('select-best', () => {
  it("reads the first integer of the grader's answer; an invalid one fails all", () => {
    assert.deepEqual(passes(selectBestVerdicts('c', 3, 'Text 2 is best')), [false, false, true]);
    assert.deepEqual(passes(selectBestVerdicts('c', 2, ' 0')), [true, false]);
    const out = selectBestVerdicts('c', 2, '5');
    assert.deepEqual(passes(out), [false, false]);
    assert.equal(out[0]?.reason, 'Invalid select-best verdict: 5');
    assert.equal(selectBestVerdicts('c', 2, 'none')[0]?.reason, 'Invalid select-best verdict: NaN');
  });

  it('shows the criteria and every output; a rubricPrompt sees criteria, outputs and vars', () => {
    const [message] = selectBestMessages('be brief', ['one', 'two'], {}, undefined);
    assert.match(message?.content ?? '', /<criteria>be brief<\/criteria>/);
    assert.match(
      message?.content ?? '',
      /<Text index="0">\none\n<\/Text>[\s\S]*<Text index="1">\ntwo/,
    );
    const custom = selectBestMessages(
      'be brief',
      ['one', 'two'],
      { topic: 'cats' },
      '{{ topic }}: {{ criteria }} {% for o in outputs %}[{{ o }}]{% endfor %}',
    );
    assert.equal(custom[0]?.content, 'cats: be brief [one][two]');
  });

  it('the simulated grader picks the text sharing the most criteria words, none without criteria', () => {
    const prompt = (criteria: string) =>
      selectBestMessages(criteria, ['about dogs', 'about cats and mice'], {}, undefined)
        .map((m) => m.content)
        .join('\n');
    assert.equal(simulatedGrade(prompt('mentions mice')), '1');
    assert.equal(simulatedGrade(prompt('mentions birds')), '0');
    assert.deepEqual(passes(selectBestVerdicts('x', 2, simulatedGrade(prompt('a b')))), [
      false,
      false,
    ]);
  });
});
