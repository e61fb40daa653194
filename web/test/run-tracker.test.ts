import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Run, RunResult } from '../src/api/types';
import { passRate } from '../src/components/run-history';
import { RunTracker } from '../src/lib/run-tracker';

function run(status: Run['status'], progress: Partial<Run['progress']> = {}): Run {
  return {
    id: 'r1',
    prompt_card_id: 'c1',
    status,
    models: ['simulated:fast'],
    concurrency: 2,
    repeat: 1,
    prompt_version: 1,
    cache: false,
    user_category: 'anonymous',
    error: null,
    created_at: '2026-11-30T10:00:00Z',
    started_at: null,
    finished_at: null,
    summary: [],
    progress: {
      total: 4,
      completed: 0,
      passed: 0,
      failed: 0,
      errored: 0,
      not_judged: 0,
      remaining: 4,
      ...progress,
    },
  };
}

function result(
  id: string,
  verdict: 'passed' | 'failed' | 'errored' | 'not_judged',
  runId = 'r1',
): RunResult {
  return {
    id,
    run_id: runId,
    test_case_id: `t-${id}`,
    model: 'simulated:fast',
    repetition: 0,
    rendered_prompt: 'p',
    output: 'o',
    latency_ms: 10,
    input_tokens: 1,
    output_tokens: 1,
    cost_usd: null,
    assertions: [],
    score: verdict === 'passed' ? 1 : 0,
    passed: verdict === 'passed',
    judged: verdict !== 'not_judged',
    error: verdict === 'errored' ? { type: 'timeout', message: 'timed out' } : null,
    simulated: true,
    attempts: 1,
    cached: false,
    finish_reason: null,
    refusal: null,
    reasoning: null,
    created_at: '2026-11-30T10:00:01Z',
  };
}

describe('RunTracker', () => {
  it('counts results while the run is running, before the run itself says anything new', () => {
    const tracker = new RunTracker('r1');
    tracker.apply({ type: 'subscribed', run_id: 'r1', run: run('running') });
    tracker.apply({ type: 'result', run_id: 'r1', result: result('a', 'passed') });
    tracker.apply({ type: 'result', run_id: 'r1', result: result('b', 'failed') });
    tracker.apply({ type: 'result', run_id: 'r1', result: result('c', 'errored') });
    assert.deepEqual(tracker.progress(), {
      total: 4,
      completed: 3,
      passed: 1,
      failed: 1,
      errored: 1,
      not_judged: 0,
      remaining: 1,
    });
  });

  it('does not count a result twice when the since replay and a live event overlap', () => {
    const tracker = new RunTracker('r1');
    tracker.apply({ type: 'subscribed', run_id: 'r1', run: run('running') });
    tracker.apply({ type: 'result', run_id: 'r1', result: result('a', 'passed') });
    assert.equal(tracker.since, 1);
    // Reconnect: subscribed again with the stored progress (which already counts "a"), then the replay.
    tracker.apply({
      type: 'subscribed',
      run_id: 'r1',
      run: run('running', { completed: 2, passed: 2, remaining: 2 }),
    });
    tracker.apply({ type: 'result', run_id: 'r1', result: result('a', 'passed') });
    tracker.apply({ type: 'result', run_id: 'r1', result: result('b', 'passed') });
    assert.equal(tracker.results.length, 2);
    assert.equal(tracker.progress().completed, 2);
    assert.equal(tracker.progress().passed, 2);
  });

  it('takes the stored progress when it knows more than the results received', () => {
    const tracker = new RunTracker('r1');
    tracker.apply({
      type: 'run.finished',
      run_id: 'r1',
      run: run('completed', { completed: 4, passed: 3, failed: 1, remaining: 0 }),
    });
    assert.deepEqual(tracker.progress(), {
      total: 4,
      completed: 4,
      passed: 3,
      failed: 1,
      errored: 0,
      not_judged: 0,
      remaining: 0,
    });
    assert.equal(tracker.isActive(), false);
  });

  it('ignores events and results of another run', () => {
    const tracker = new RunTracker('r1');
    assert.equal(
      tracker.apply({ type: 'result', run_id: 'r2', result: result('x', 'passed', 'r2') }),
      false,
    );
    assert.equal(tracker.add(result('y', 'passed', 'r2')), false);
    assert.equal(tracker.results.length, 0);
  });

  it('gives a new snapshot only when the results changed', () => {
    const tracker = new RunTracker('r1');
    tracker.add(result('a', 'passed'));
    const first = tracker.snapshot();
    assert.equal(tracker.snapshot(), first);
    tracker.add(result('a', 'passed'));
    assert.equal(tracker.snapshot(), first);
    tracker.add(result('b', 'failed'));
    assert.notEqual(tracker.snapshot(), first);
    assert.equal(tracker.snapshot().length, 2);
  });

  it('counts an answer nothing judged as not judged, neither passed nor failed', () => {
    const tracker = new RunTracker('r1');
    tracker.apply({ type: 'subscribed', run_id: 'r1', run: run('running') });
    tracker.add(result('a', 'passed'), result('b', 'not_judged'), result('c', 'not_judged'));
    const progress = tracker.progress();
    assert.deepEqual(
      [progress.passed, progress.failed, progress.errored, progress.not_judged],
      [1, 0, 0, 2],
    );
  });

  it('gives a pass rate that leaves not judged answers out, as the server does', () => {
    assert.equal(passRate(run('completed', { completed: 4, passed: 1, not_judged: 2 })), '50 %');
    assert.equal(passRate(run('completed', { completed: 2, passed: 0, not_judged: 2 })), '–');
  });
});
