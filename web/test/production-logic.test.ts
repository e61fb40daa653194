/**
 * The Production view's pure logic: the trace link from the configured template, which
 * verdicts count as failing and on what, the pass ratio points and the CI runs in the window.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OnlineEvaluation, OnlineEvaluationSummary, Run } from '../src/api/generated';
import {
  failedAssertions,
  isFailing,
  productionPoints,
  runPoints,
  traceUrl,
  windowRatio,
} from '../src/lib/production';
import { parseRoute, routeHref } from '../src/lib/hash-route';

function evaluation(over: Partial<OnlineEvaluation>): OnlineEvaluation {
  return {
    id: 'e1',
    rule_id: 'r1',
    prompt_card_id: 'c1',
    trace_id: 'ab',
    span_id: 'cd',
    model: 'm',
    input: 'in',
    output: 'out',
    variables: {},
    span_ended_at: '2026-03-10T12:00:00.000Z',
    received_at: '2026-03-10T12:00:01.000Z',
    status: 'done',
    judged: true,
    pass: true,
    score: 1,
    assertion_results: [],
    error: null,
    not_judged_reason: null,
    judge_cost_usd: null,
    evaluated_at: '2026-03-10T12:00:02.000Z',
    ...over,
  };
}

describe('production view logic', () => {
  it('fills the trace template, or gives no link without one', () => {
    assert.equal(
      traceUrl('http://j/trace/{trace_id}?uiFind={span_id}', 'ab12', 'cd/34'),
      'http://j/trace/ab12?uiFind=cd%2F34',
    );
    assert.equal(traceUrl(null, 'ab', 'cd'), null);
    assert.equal(traceUrl('', 'ab', 'cd'), null);
  });

  it('counts judged failures and errors as failing, not pending or unjudged ones', () => {
    assert.equal(isFailing(evaluation({ pass: false })), true);
    assert.equal(isFailing(evaluation({ pass: false, error: 'grader down' })), true);
    assert.equal(isFailing(evaluation({})), false);
    assert.equal(isFailing(evaluation({ judged: false, pass: false })), false);
    assert.equal(isFailing(evaluation({ status: 'pending', judged: null, pass: null })), false);
    const results = [
      { type: 'icontains', pass: false, score: 0, weight: 1, reason: 'no "refund"' },
      { type: 'length', pass: true, score: 1, weight: 1, reason: '' },
      { type: 'regex', pass: false, score: 0, weight: 1, reason: '' },
    ];
    assert.deepEqual(failedAssertions(evaluation({ assertion_results: results })), [
      'icontains: no "refund"',
      'regex',
    ]);
  });

  it('plots judged buckets at their middle and the runs inside the window', () => {
    const bucket = { total: 0, pending: 0, not_judged: 0, errors: 0 };
    const summary: OnlineEvaluationSummary = {
      bucket: 'hour',
      since: '2026-03-10T10:00:00.000Z',
      until: '2026-03-10T12:00:00.000Z',
      trace_url_template: null,
      items: [
        { ...bucket, start: '2026-03-10T10:00:00.000Z', passed: 0, failed: 0, pass_ratio: null },
        { ...bucket, start: '2026-03-10T11:00:00.000Z', passed: 3, failed: 1, pass_ratio: 0.75 },
      ],
    };
    const points = productionPoints(summary);
    assert.deepEqual(
      points.map((p) => [p.at, p.ratio]),
      [[Date.parse('2026-03-10T11:30:00.000Z'), 0.75]],
    );
    assert.deepEqual(windowRatio(summary), { ratio: 0.75, judged: 4 });
    const run = (created_at: string, passed: number, completed: number, not_judged = 0) =>
      ({ created_at, progress: { passed, completed, not_judged } }) as unknown as Run;
    const since = Date.parse(summary.since);
    const until = Date.parse(summary.until);
    const inside = runPoints(
      [
        run('2026-03-10T11:10:00.000Z', 1, 4, 2),
        run('2026-03-10T09:00:00.000Z', 1, 1),
        run('2026-03-10T11:20:00.000Z', 0, 2, 2),
      ],
      since,
      until,
    );
    assert.deepEqual(
      inside.map((p) => p.ratio),
      [0.5],
    );
  });

  it('routes #/cards/ID/production and back', () => {
    assert.deepEqual(parseRoute('#/cards/c%201/production'), {
      page: 'production',
      cardId: 'c 1',
    });
    assert.equal(routeHref({ page: 'production', cardId: 'c 1' }), '#/cards/c%201/production');
    assert.deepEqual(parseRoute('#/cards/c1'), { page: 'card', cardId: 'c1' });
  });
});
