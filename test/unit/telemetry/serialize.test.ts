import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import client from 'prom-client';
import {
  Metrics,
  negotiateFormat,
  observeWithExemplar,
  serialize,
} from '../../../src/telemetry/metrics/index.js';
import { histogramOf, parseExposition, valueOf } from '../../support/exposition.js';

describe('exposition serializer', () => {
  it('writes Prometheus text that an independent parser reads back exactly', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.httpRequestsTotal.inc({ method: 'GET', route: '/a"b\\c\nd', status_code: '200' }, 3);
    const labels = { method: 'GET', route: '/x', status_code: '200' };
    metrics.httpRequestDuration.observe({ labels, value: 0.007 });
    metrics.httpRequestDuration.observe({ labels, value: 3 });
    const families = parseExposition(await serialize(metrics.registry, 'prometheus'));
    assert.equal(valueOf(families, 'http_requests_total', { route: '/a"b\\c\nd' }), 3);
    const histogram = histogramOf(families, 'http_request_duration_seconds', { route: '/x' });
    assert.equal(histogram.count, 2);
    assert.equal(histogram.sum, 3.007);
    assert.equal(histogram.buckets['0.01'], 1);
    assert.equal(histogram.buckets['+Inf'], 2);
  });

  it('writes OpenMetrics with counter families without _total, samples with it, and # EOF', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.testExecutions.inc({ status: 'success', model: 'm' });
    observeWithExemplar(
      metrics.genAiOperationDuration,
      {
        gen_ai_operation_name: 'chat',
        gen_ai_provider_name: 'p',
        gen_ai_request_model: 'm',
        error_type: '',
      },
      0.5,
      { trace_id: 'abc123' },
    );
    const text = await serialize(metrics.registry, 'openmetrics');
    const lines = text.split('\n');
    assert.ok(lines.includes('# TYPE test_executions counter'));
    assert.ok(lines.includes('test_executions_total{status="success",model="m"} 1'));
    assert.equal(lines.at(-2), '# EOF');
    const exemplarLine = lines.find(
      (l) =>
        l.startsWith('gen_ai_client_operation_duration_seconds_bucket') && l.includes('le="0.64"'),
    );
    assert.match(exemplarLine ?? '', / # \{trace_id="abc123"\} 0\.5 \d+(\.\d+)?$/);
    // The Prometheus format of the same registry still names the counter with _total.
    assert.equal(
      valueOf(
        parseExposition(await serialize(metrics.registry, 'prometheus')),
        'test_executions_total',
        { model: 'm' },
      ),
      1,
    );
  });

  it('negotiates OpenMetrics only when the scraper asks for it', () => {
    assert.equal(
      negotiateFormat('application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5'),
      'openmetrics',
    );
    assert.equal(negotiateFormat('text/plain'), 'prometheus');
    assert.equal(negotiateFormat(undefined), 'prometheus');
  });
});

describe('exposition serializer against prom-client', () => {
  it("lists the same samples as prom-client's own metrics() for counters, gauges and histograms", async () => {
    const registry = new client.Registry();
    const counter = new client.Counter({
      name: 'c_total',
      help: 'c',
      labelNames: ['a'],
      registers: [registry],
    });
    const plain = new client.Counter({ name: 'plain_total', help: 'p', registers: [registry] });
    new client.Gauge({
      name: 'g',
      help: 'g',
      registers: [registry],
      collect() {
        this.set(42);
      },
    });
    const histogram = new client.Histogram({
      name: 'h_seconds',
      help: 'h',
      labelNames: ['k'],
      buckets: [0.1, 1],
      registers: [registry],
    });
    const bare = new client.Histogram({
      name: 'bare_seconds',
      help: 'b',
      buckets: [1],
      registers: [registry],
    });
    counter.inc({ a: 'x' }, 2);
    counter.inc({ a: 'y"\\' });
    plain.inc();
    histogram.observe({ k: 'one' }, 0.05);
    histogram.observe({ k: 'one' }, 5);
    histogram.observe({ k: 'two' }, 0.5);
    bare.observe(2);
    const key = (s: { name: string; labels: Record<string, string>; value: number }) =>
      `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}=${s.value}`;
    const ours = parseExposition(await serialize(registry, 'prometheus'))
      .samples.map(key)
      .sort();
    const theirs = parseExposition(await registry.metrics())
      .samples.map(key)
      .sort();
    assert.deepEqual(ours, theirs);
  });
});
