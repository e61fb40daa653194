import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { percentile, summarize } from '../../../src/runs/index.js';

const row = (over: Record<string, unknown>) => ({
  model: 'm',
  passed: true,
  score: 1,
  latency_ms: 100,
  input_tokens: 10,
  output_tokens: 5,
  cost_usd: 0.001,
  error_type: null,
  simulated: false,
  judged: 1,
  ...over,
});

describe('run summary', () => {
  it('computes linear-interpolation percentiles', () => {
    assert.equal(percentile([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(percentile([10], 0.95), 10);
    assert.equal(percentile([], 0.5), null);
    assert.ok(
      Math.abs(
        percentile(
          [...Array(100).keys()].map((i) => i + 1),
          0.95,
        )! - 95.05,
      ) < 1e-9,
    );
  });

  it('summarises per model: pass rate, mean score, latency of answered calls, tokens, cost', () => {
    const [summary] = summarize(
      ['m'],
      [
        row({ latency_ms: 100 }),
        row({ passed: false, score: 0.5, latency_ms: 300 }),
        row({
          passed: false,
          score: 0,
          latency_ms: 5000,
          error_type: 'timeout',
          input_tokens: null,
          output_tokens: null,
          cost_usd: null,
        }),
      ],
    );
    assert.equal(summary.results, 3);
    assert.equal(summary.passed, 1);
    assert.equal(summary.failed, 1);
    assert.equal(summary.errored, 1);
    assert.equal(summary.pass_rate, 1 / 3);
    assert.equal(summary.mean_score, 0.5);
    // Percentiles come from the latency sketch: within 1 % of the exact 200 and 290.
    assert.ok(Math.abs((summary.latency_ms.p50 ?? 0) - 200) <= 2, 'p50');
    assert.ok(Math.abs((summary.latency_ms.p95 ?? 0) - 290) <= 2.9, 'p95');
    assert.deepEqual(summary.tokens, { input: 20, output: 10 });
    assert.equal(summary.tokens_complete, true, 'an error has no tokens to report');
    assert.equal(summary.cost_usd, 0.002);
    assert.equal(summary.cost_complete, false);
    assert.deepEqual(summary.errors_by_type, { timeout: 1 });
  });

  it('keeps unknown token counts unknown: null and tokens_complete false, never 0', () => {
    const [none] = summarize(['m'], [row({ input_tokens: null, output_tokens: null })]);
    assert.deepEqual(none?.tokens, { input: null, output: null });
    assert.equal(none?.tokens_complete, false);
    const [some] = summarize(['m'], [row({}), row({ input_tokens: null })]);
    assert.deepEqual(some?.tokens, { input: 10, output: 10 });
    assert.equal(some?.tokens_complete, false);
  });

  it('reports results nothing judged as not judged, outside pass rate and mean score', () => {
    const [summary] = summarize(
      ['m'],
      [
        row({}),
        row({ passed: false, score: 0 }),
        row({ passed: false, score: 0, judged: 0 }),
        row({ passed: false, score: 0, error_type: 'timeout', judged: 0 }),
      ],
    );
    assert.equal(summary?.not_judged, 1);
    assert.equal(summary?.failed, 1);
    assert.equal(summary?.errored, 1);
    assert.equal(summary?.pass_rate, 1 / 3);
    assert.equal(summary?.mean_score, 1 / 3);
    const [onlyUnjudged] = summarize(['m'], [row({ passed: false, judged: 0 })]);
    assert.equal(onlyUnjudged?.pass_rate, null, 'nothing passes unjudged');
    assert.equal(onlyUnjudged?.mean_score, null);
  });

  it('gives a model without results nulls, not zeros', () => {
    const [summary] = summarize(['m'], []);
    assert.equal(summary.pass_rate, null);
    assert.equal(summary.cost_usd, null);
  });
});
