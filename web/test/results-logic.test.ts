import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Run, RunResult } from '../src/api/types';
import { chartRows } from '../src/lib/analytics-chart';
import { latencyHistogram, perModelSeries } from '../src/lib/chart-data';
import { compareResults, countChanges } from '../src/lib/compare-runs';
import {
  filterResults,
  NO_FILTER,
  verdictClass,
  verdictLabel,
  verdictOf,
} from '../src/lib/result-filter';

function result(id: string, over: Partial<RunResult> = {}): RunResult {
  return {
    id,
    run_id: 'r1',
    test_case_id: 't1',
    model: 'simulated:fast',
    repetition: 0,
    rendered_prompt: 'p',
    output: 'hello Ada',
    latency_ms: 120,
    input_tokens: 1,
    output_tokens: 1,
    cost_usd: null,
    assertions: [],
    score: 1,
    passed: true,
    judged: true,
    error: null,
    simulated: true,
    attempts: 1,
    cached: false,
    finish_reason: null,
    refusal: null,
    reasoning: null,
    created_at: '2026-11-30T10:00:01Z',
    ...over,
  };
}

describe('filterResults', () => {
  const results = [
    result('a'),
    result('b', {
      passed: false,
      score: 0,
      model: 'simulated:slow',
      assertions: [
        {
          type: 'icontains',
          pass: false,
          score: 0,
          weight: 1,
          reason: 'output does not contain "Bob"',
        },
      ],
    }),
    result('c', { passed: false, output: null, error: { type: 'timeout', message: 'timed out' } }),
  ];
  it('filters by verdict, model and text (test case name, output, error, assertion reasons)', () => {
    assert.deepEqual(
      filterResults(results, { ...NO_FILTER, verdict: 'failed' }).map((r) => r.id),
      ['b'],
    );
    assert.deepEqual(
      filterResults(results, { ...NO_FILTER, verdict: 'errored' }).map((r) => r.id),
      ['c'],
    );
    assert.deepEqual(
      filterResults(results, { ...NO_FILTER, model: 'simulated:fast' }).map((r) => r.id),
      ['a', 'c'],
    );
    assert.deepEqual(
      filterResults(results, { ...NO_FILTER, text: 'BOB' }).map((r) => r.id),
      ['b'],
    );
    assert.deepEqual(
      filterResults(results, { ...NO_FILTER, text: 'greeting' }, new Map([['t1', 'Greeting Ada']]))
        .length,
      3,
    );
  });
});

describe('not judged results', () => {
  // As the API sends an answer no assertion judged: passed false, judged false, no error.
  const unjudged = result('n', { passed: false, judged: false, score: 0 });
  it('are their own verdict, shown as "not judged" in grey, never as failed', () => {
    assert.equal(verdictOf(unjudged), 'not_judged');
    assert.equal(verdictLabel(verdictOf(unjudged)), 'not judged');
    assert.equal(verdictClass(verdictOf(unjudged)), 'muted');
    const results = [result('a'), result('f', { passed: false, score: 0 }), unjudged];
    assert.deepEqual(
      filterResults(results, { ...NO_FILTER, verdict: 'failed' }).map((r) => r.id),
      ['f'],
    );
    assert.deepEqual(
      filterResults(results, { ...NO_FILTER, verdict: 'not_judged' }).map((r) => r.id),
      ['n'],
    );
  });
  it('compare as a change, not a regression or a fix', () => {
    const pairs = compareResults([result('1')], [{ ...unjudged, id: '2' }]);
    assert.deepEqual(
      pairs.map((p) => p.change),
      ['changed'],
    );
    assert.deepEqual(
      compareResults([{ ...unjudged, id: '3' }], [result('4')]).map((p) => p.change),
      ['changed'],
    );
  });
});

describe('compareResults', () => {
  it('pairs by test case, model and repetition and names each verdict change', () => {
    const base = [
      result('1'),
      result('2', { test_case_id: 't2', passed: false, score: 0 }),
      result('3', { test_case_id: 't3' }),
    ];
    const head = [
      result('4', { passed: false, score: 0 }),
      result('5', { test_case_id: 't2' }),
      result('6', { test_case_id: 't4' }),
    ];
    const pairs = compareResults(base, head);
    assert.deepEqual(
      pairs.map((p) => [p.test_case_id, p.change]),
      [
        ['t1', 'regressed'],
        ['t2', 'fixed'],
        ['t3', 'removed'],
        ['t4', 'added'],
      ],
    );
    assert.deepEqual(countChanges(pairs), {
      fixed: 1,
      regressed: 1,
      same: 0,
      changed: 0,
      added: 1,
      removed: 1,
    });
  });
});

describe('chart data', () => {
  it('gives pass rate per model per run, oldest first, null where a model was not run', () => {
    const summary = (model: string, pass_rate: number) => ({
      model,
      simulated: true,
      results: 2,
      passed: 1,
      failed: 1,
      errored: 0,
      pass_rate,
      mean_score: 0.5,
      latency_ms: { p50: 1, p95: 2 },
      tokens: { input: 1, output: 1 },
      cost_usd: null,
      cost_complete: false,
    });
    const runs = [
      { created_at: '2026-11-30T11:00:00Z', summary: [summary('m1', 0.5), summary('m2', 1)] },
      { created_at: '2026-11-30T10:00:00Z', summary: [summary('m1', 0.25)] },
    ] as unknown as Run[];
    const series = perModelSeries(runs, 'pass_rate');
    assert.deepEqual(series.models, ['m1', 'm2']);
    assert.deepEqual(series.rows, [
      { run: '#1', m1: 25, m2: null },
      { run: '#2', m1: 50, m2: 100 },
    ]);
  });
  it('counts answered latencies per bucket and model, errors left out', () => {
    const histogram = latencyHistogram(
      [
        result('a', { latency_ms: 40 }),
        result('b', { latency_ms: 99999 }),
        result('c', { latency_ms: 40, error: { type: 'x', message: 'y' } }),
      ],
      [50, 100],
    );
    assert.deepEqual(histogram.rows, [
      { le: '≤ 50', 'simulated:fast': 1 },
      { le: '≤ 100', 'simulated:fast': 0 },
      { le: '> 100', 'simulated:fast': 1 },
    ]);
  });
});

describe('analytics chart rows', () => {
  it('puts history, forecast band and anomalies on one time axis', () => {
    const rows = chartRows(
      [
        { t: '2026-11-30T10:00:00Z', v: 1 },
        { t: '2026-11-30T10:01:00Z', v: 9 },
      ],
      [{ t: '2026-11-30T10:02:00Z', mean: 2, lower: 1, upper: 3 }],
      [
        { at: '2026-11-30T10:01:20Z', value: 9, severity: 'high' },
        { at: '2026-11-30T09:00:00Z', value: 5, severity: 'low' },
      ],
      60_000,
    );
    assert.deepEqual(rows, [
      { time: Date.parse('2026-11-30T10:00:00Z'), value: 1 },
      { time: Date.parse('2026-11-30T10:01:00Z'), value: 9, anomaly: 9 },
      { time: Date.parse('2026-11-30T10:02:00Z'), mean: 2, band: [1, 3] },
    ]);
  });
});
