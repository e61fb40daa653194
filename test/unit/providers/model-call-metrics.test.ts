/**
 * The GenAI metrics of model calls with their admitted label sets remembered: counts stay
 * per label set, folded sets still fold and count every fold, user values stay encoded.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelCallMetrics } from '../../../src/providers/index.js';
import type { ModelCallRecord } from '../../../src/providers/model-call-record.js';
import { Metrics, MetricsCollector } from '../../../src/telemetry/metrics/index.js';

function call(model: string, extra: Partial<ModelCallRecord> = {}): ModelCallRecord {
  return {
    operation: 'chat',
    operationName: 'chat',
    provider: 'openai',
    model,
    durationSeconds: 0.02,
    errorType: '',
    inputTokens: 3,
    outputTokens: 5,
    costUsd: 0.001,
    ...extra,
  };
}

async function counts(metrics: Metrics): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const v of (await metrics.genAiOperationDuration.get()).values) {
    if (v.metricName !== 'gen_ai_client_operation_duration_seconds_count') continue;
    const key = `${String(v.labels.gen_ai_request_model)}|${String(v.labels.error_type)}`;
    out[key] = v.value;
  }
  return out;
}

describe('model-call metrics', () => {
  it('counts every call under its label set, and folds and counts past the cap each time', async () => {
    const metrics = new Metrics({ maxSeriesPerMetric: 3, defaultMetrics: false });
    const record = modelCallMetrics(new MetricsCollector(metrics));
    for (let i = 0; i < 2; i++) {
      record(call('m1'));
      record(call('m1', { errorType: 'timeout', inputTokens: null, outputTokens: null }));
      record(call('a,b'));
      record(call('m4'));
    }
    assert.deepEqual(await counts(metrics), {
      'm1|': 2,
      'm1|timeout': 2,
      'a%2Cb|': 2,
      '__overflow__|': 2,
    });
    const overflow = (await metrics.cardinalityOverflow.get()).values.find(
      (v) => v.labels.metric === 'gen_ai_client_operation_duration_seconds',
    );
    assert.equal(overflow?.value, 2);
    const tokens = (await metrics.genAiTokenUsage.get()).values.filter(
      (v) =>
        v.metricName === 'gen_ai_client_token_usage_sum' && v.labels.gen_ai_request_model === 'm1',
    );
    assert.deepEqual(
      tokens.map((v) => [v.labels.gen_ai_token_type, v.value]),
      [
        ['input', 6],
        ['output', 10],
      ],
    );
    const cost = (await metrics.genAiCost.get()).values.find(
      (v) => v.labels.gen_ai_request_model === 'm1',
    );
    assert.equal(cost?.value, 0.004);
  });
});
