/** Human vs judge agreement, pure: which verdicts a thumb agrees with, and the tally per card and model. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeAgrees, judgeVerdictOf, tallyAgreement } from '../../../src/ratings/index.js';

describe('judge agreement', () => {
  it('takes an error as a fail and an unjudged answer as no verdict', () => {
    assert.equal(judgeVerdictOf({ passed: true, judged: true, errored: false }), 'pass');
    assert.equal(judgeVerdictOf({ passed: false, judged: true, errored: false }), 'fail');
    assert.equal(judgeVerdictOf({ passed: false, judged: true, errored: true }), 'fail');
    assert.equal(judgeVerdictOf({ passed: false, judged: false, errored: false }), null);
  });

  it('agrees when up meets a pass or down meets a fail; says nothing without a verdict', () => {
    assert.equal(judgeAgrees('up', 'pass'), true);
    assert.equal(judgeAgrees('down', 'fail'), true);
    assert.equal(judgeAgrees('up', 'fail'), false);
    assert.equal(judgeAgrees('down', 'pass'), false);
    assert.equal(judgeAgrees('up', null), null);
  });

  it('tallies per card and model, counting weights, with no ratio without a judged rating', () => {
    assert.deepEqual(
      tallyAgreement([
        { card_id: 'b', model: 'm', thumb: 'up', verdict: 'pass', count: 3 },
        { card_id: 'b', model: 'm', thumb: 'up', verdict: 'fail' },
        { card_id: 'a', model: 'm', thumb: 'down', verdict: null, count: 2 },
      ]),
      [
        {
          card_id: 'a',
          model: 'm',
          ratings: 2,
          judged_ratings: 0,
          agreements: 0,
          agreement_ratio: null,
        },
        {
          card_id: 'b',
          model: 'm',
          ratings: 4,
          judged_ratings: 4,
          agreements: 3,
          agreement_ratio: 0.75,
        },
      ],
    );
  });
});
