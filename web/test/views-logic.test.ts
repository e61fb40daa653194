/**
 * The new views' pure logic: the matrix and its filters, URL state, numbers in words, the
 * home page's card status, and the models the run form offers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelSummary, Run, RunResult } from '../src/api/types';
import { formatTime, pValueWords, signed, signedPoints, verdictWords } from '../src/lib/format';
import { attention, cardStatus, overallPassRate } from '../src/lib/home-status';
import { buildMatrix, filterMatrix } from '../src/lib/matrix';
import { runnableModels } from '../src/lib/run-models';
import { hashParams, oneOf, withHashParams } from '../src/lib/url-state';

function result(id: string, over: Partial<RunResult> = {}): RunResult {
  return {
    id,
    run_id: 'r1',
    test_case_id: 't1',
    model: 'a',
    repetition: 0,
    rendered_prompt: 'p',
    output: 'out',
    latency_ms: 1,
    input_tokens: null,
    output_tokens: null,
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
    created_at: '',
    ...over,
  };
}

describe('matrix', () => {
  const results = [
    result('1', { test_case_id: 't1', model: 'a' }),
    result('2', { test_case_id: 't1', model: 'b', passed: false, score: 0, output: 'nope' }),
    result('3', { test_case_id: 't2', model: 'a' }),
    result('4', { test_case_id: 't2', model: 'b' }),
    result('5', { test_case_id: 't3', model: 'a', error: { type: 'timeout', message: 'late' } }),
  ];
  const matrix = buildMatrix([{ id: 'r1', label: 'this run', models: ['a', 'b'], results }]);

  it('makes a row per test case and a column per model, each cell its verdict', () => {
    assert.deepEqual(
      matrix.columns.map((c) => c.label),
      ['a', 'b'],
    );
    assert.deepEqual(
      matrix.rows.map((r) => r.testCaseId),
      ['t1', 't2', 't3'],
    );
    assert.equal(matrix.rows[0].cells.get('r1\u0000b')?.verdict, 'failed');
    assert.equal(matrix.rows[2].cells.get('r1\u0000b'), undefined);
  });

  it('filters: Different keeps rows whose cells disagree; Failures, Errors, Rated, text', () => {
    const ids = (rows: ReturnType<typeof filterMatrix>) => rows.map((r) => r.testCaseId);
    assert.deepEqual(ids(filterMatrix(matrix.rows, 'different')), ['t1']);
    assert.deepEqual(ids(filterMatrix(matrix.rows, 'failures')), ['t1']);
    assert.deepEqual(ids(filterMatrix(matrix.rows, 'passes')), ['t1', 't2']);
    assert.deepEqual(ids(filterMatrix(matrix.rows, 'errors')), ['t3']);
    assert.deepEqual(ids(filterMatrix(matrix.rows, 'rated', { rated: new Set(['4']) })), ['t2']);
    assert.deepEqual(ids(filterMatrix(matrix.rows, 'all', { text: 'NOPE' })), ['t1']);
    assert.deepEqual(
      ids(filterMatrix(matrix.rows, 'all', { text: 'second', names: new Map([['t2', 'Second']]) })),
      ['t2'],
    );
  });

  it('puts two runs side by side, columns labelled by run, repetitions in one cell', () => {
    const two = buildMatrix([
      {
        id: 'old',
        label: 'earlier (v1)',
        models: ['a'],
        results: [result('o', { run_id: 'old' })],
      },
      {
        id: 'new',
        label: 'this run (v2)',
        models: ['a'],
        results: [
          result('n1', { run_id: 'new', repetition: 1, passed: false }),
          result('n0', { run_id: 'new', repetition: 0 }),
        ],
      },
    ]);
    assert.deepEqual(
      two.columns.map((c) => c.label),
      ['earlier (v1) · a', 'this run (v2) · a'],
    );
    const cell = two.rows[0].cells.get('new\u0000a');
    assert.deepEqual(
      cell?.results.map((r) => r.id),
      ['n0', 'n1'],
    );
    assert.equal(cell?.verdict, 'mixed');
  });
});

describe('URL state', () => {
  it('reads and writes the fragment query, dropping defaults and keeping the path', () => {
    assert.equal(hashParams('#/runs/x?show=different&result=r9').get('result'), 'r9');
    assert.equal(hashParams('#/runs/x').get('show'), null);
    assert.equal(
      withHashParams('#/runs/x?q=hi', { show: 'different', q: '' }, { show: 'all' }),
      '#/runs/x?show=different',
    );
    assert.equal(
      withHashParams('#/runs/x?show=different', { show: 'all' }, { show: 'all' }),
      '#/runs/x',
    );
    assert.equal(oneOf('list', ['matrix', 'list'], 'matrix'), 'list');
    assert.equal(oneOf('<script>', ['matrix', 'list'], 'matrix'), 'matrix');
  });
});

describe('numbers in words', () => {
  it('signs differences and words p-values against alpha', () => {
    assert.equal(signedPoints(0.125), '+12.5 pts');
    assert.equal(signedPoints(-0.03), '−3.0 pts');
    assert.equal(signedPoints(0), '±0.0 pts');
    assert.equal(signedPoints(null), '–');
    assert.equal(signed(120, 0, 'ms'), '+120 ms');
    assert.equal(signed(-0.0012, 4, 'USD'), '−0.0012 USD');
    assert.equal(pValueWords(0.0312, 0.05), 'p = 0.031 (significant at α = 0.05)');
    assert.equal(pValueWords(0.0001, 0.05), 'p < 0.001 (significant at α = 0.05)');
    assert.equal(pValueWords(0.5, 0.05), 'p = 0.500 (not significant at α = 0.05)');
    assert.equal(pValueWords(null, 0.05), 'no p-value (no paired test)');
    assert.equal(verdictWords('regression'), 'regressed');
    assert.equal(verdictWords('no_significant_change'), 'no significant change');
  });

  it('shows an instant as a date and time, never epoch milliseconds', () => {
    const text = formatTime(1796601153837);
    assert.doesNotMatch(text, /1796601153837/);
    assert.match(text, /2026/);
  });
});

describe('home card status', () => {
  const summary = (model: string, passed: number, results: number): ModelSummary =>
    ({
      model,
      results,
      passed,
      not_judged: 0,
      pass_rate: passed / results,
    }) as ModelSummary;
  const run = (id: string, status: string, s: ModelSummary[]): Run =>
    ({ id, status, summary: s }) as unknown as Run;

  it('takes the newest finished runs: latest, previous, deltas, and the trend oldest first', () => {
    const status = cardStatus([
      run('running', 'running', [summary('a', 1, 1)]),
      run('new', 'completed', [summary('a', 2, 4)]),
      run('old', 'completed', [summary('a', 4, 4)]),
    ]);
    assert.equal(status.latest?.id, 'new');
    assert.equal(status.previous?.id, 'old');
    assert.deepEqual(status.trend, [1, 0.5]);
    assert.equal(status.deltas.get('a'), -0.5);
    assert.equal(
      overallPassRate(run('x', 'completed', [summary('a', 1, 2), summary('b', 2, 2)])),
      0.75,
    );
  });

  it('puts firing alerts first, then regressions, then pass rates under threshold', () => {
    const ok = cardStatus([run('r', 'completed', [summary('a', 4, 4)])]);
    const low = cardStatus([run('r', 'completed', [summary('a', 1, 4)])]);
    assert.ok(attention(ok, 1, false, null) > attention(ok, 0, true, null));
    assert.ok(attention(ok, 0, true, null) > attention(low, 0, false, 0.9));
    assert.ok(attention(low, 0, false, 0.9) > attention(ok, 0, false, 0.9));
  });
});

describe('run models', () => {
  it('offers no helper model (simulated grader and embedder) and prefixes bare names', () => {
    assert.deepEqual(runnableModels('simulated', ['fast', 'slow', 'flaky', 'grader', 'embed']), [
      'simulated:fast',
      'simulated:slow',
      'simulated:flaky',
    ]);
    assert.deepEqual(runnableModels('ollama', ['ollama:llama3', 'qwen']), [
      'ollama:llama3',
      'ollama:qwen',
    ]);
  });
});
