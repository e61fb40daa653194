import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bucketQuantile,
  deriveSeries,
  emptySnapshot,
  type RegistrySnapshot,
} from '../../../src/analytics/series-catalog.js';

const base: RegistrySnapshot = {
  ...emptySnapshot(0),
  latencyBuckets: new Map([
    [0.1, 0],
    [0.5, 0],
    [1, 0],
    [Infinity, 0],
  ]),
};

describe('series derived from registry snapshots', () => {
  it('interpolates a quantile inside its bucket as histogram_quantile does', () => {
    // 100 observations: 50 ≤ 0.1 s, 40 in (0.1, 0.5], 10 in (0.5, 1].
    const buckets = new Map([
      [0.1, 50],
      [0.5, 90],
      [1, 100],
      [Infinity, 100],
    ]);
    assert.equal(bucketQuantile(0.5, buckets), 0.1);
    assert.ok(Math.abs((bucketQuantile(0.95, buckets) ?? 0) - 0.75) < 1e-12);
    assert.equal(bucketQuantile(0.5, new Map([[Infinity, 0]])), undefined);
  });

  it('turns counter increases over the interval into rates and ratios', () => {
    const later: RegistrySnapshot = {
      ...base,
      at: 10_000,
      requests: 200,
      serverErrors: 10,
      latencyBuckets: new Map([
        [0.1, 100],
        [0.5, 180],
        [1, 200],
        [Infinity, 200],
      ]),
      testsPassed: 9,
      testsTotal: 12,
      effectiveness: new Map([['m', { sum: 3, count: 4 }]]),
      outputTokens: 500,
      outputTokenReports: 7,
      allTokens: 800,
      modelSeconds: 5,
      costUsd: 0.01,
      gauges: { process_rss_bytes: 1234, event_loop_delay_p99_seconds: undefined },
    };
    const series = deriveSeries(base, later);
    assert.equal(series.get('request_rate'), 20);
    assert.equal(series.get('error_ratio'), 0.05);
    assert.ok(Math.abs((series.get('latency_p95_seconds') ?? 0) - 0.75) < 1e-12);
    assert.equal(series.get('test_success_rate'), 0.75);
    assert.equal(series.get('effectiveness_mean:m'), 0.75);
    assert.equal(series.get('output_tokens_per_second'), 100);
    assert.equal(series.get('token_spend_per_hour'), 800 * 360);
    assert.ok(Math.abs((series.get('cost_usd_per_day') ?? 0) - 86.4) < 1e-9);
    assert.equal(series.get('process_rss_bytes'), 1234);
    assert.equal(series.has('event_loop_delay_p99_seconds'), false);
  });

  it('omits ratios without traffic and reads a counter drop as a restart', () => {
    const restarted: RegistrySnapshot = { ...base, at: 20_000, requests: 5 };
    const previous: RegistrySnapshot = { ...base, at: 10_000, requests: 500 };
    const series = deriveSeries(previous, restarted);
    assert.equal(series.get('request_rate'), 0.5);
    const idle = deriveSeries(base, { ...base, at: 10_000 });
    assert.equal(idle.get('request_rate'), 0);
    assert.equal(idle.has('error_ratio'), false);
    assert.equal(idle.has('test_success_rate'), false);
    const noCounts = deriveSeries(base, { ...base, at: 10_000, modelSeconds: 5 });
    assert.equal(noCounts.has('output_tokens_per_second'), false, 'unknown is not 0');
  });
});
