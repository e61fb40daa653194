import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metrics, MetricsCollector } from '../../../src/telemetry/metrics/index.js';

describe('label sets from user text', () => {
  it('never merge: a comma and a label name inside a value make a series of their own', async () => {
    const metrics = new Metrics({ maxSeriesPerMetric: 100 });
    const collector = new MetricsCollector(metrics);
    // Card A tagged "y" on model "openai:m,prompt_type:x"; card B tagged "x,prompt_type:y" on
    // "openai:m": prom-client keys a series by `name:value,` pairs, which are equal here.
    collector.recordPromptEffectiveness(1, 'openai:m,prompt_type:x', 'y', 'anonymous');
    collector.recordPromptEffectiveness(1, 'openai:m', 'x,prompt_type:y', 'anonymous');
    const counts = (await metrics.promptEffectiveness.get()).values.filter((v) =>
      v.metricName?.endsWith('_count'),
    );
    assert.equal(counts.length, 2, JSON.stringify(counts));
    assert.deepEqual(
      counts.map((c) => c.value),
      [1, 1],
    );
  });
});
