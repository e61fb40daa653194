import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestServer } from '../../support/test-server.js';
import { startWireServer } from '../../support/wire-server.js';
import { parseExposition, valueOf } from '../../support/exposition.js';

describe('health probes over HTTP', () => {
  it('reports healthy, then degraded when a provider stops, and exports the checks as metrics', async () => {
    const model = await startWireServer('openai');
    const ollama = await startWireServer('ollama');
    const server = await startTestServer({
      OPENAI_BASE_URL: model.url,
      OLLAMA_BASE_URL: ollama.url,
      HEALTH_CACHE_TTL_MS: '0',
      // The event-loop check reads the machine's load: on a loaded CI machine it warns, and the
      // status this test is about (a provider stopping) would not be the only cause of degraded.
      HEALTH_EVENT_LOOP_WARN_MS: '60000',
      HEALTH_EVENT_LOOP_FAIL_MS: '120000',
    });
    try {
      const healthy = await server.request('GET', '/health/comprehensive');
      assert.equal(healthy.status, 200);
      assert.equal(healthy.body.status, 'healthy', JSON.stringify(healthy.body));
      const names = healthy.body.checks.map((c: { name: string }) => c.name).sort();
      assert.deepEqual(names, [
        'database',
        'disk',
        'event_loop',
        'memory',
        'provider:ollama',
        'provider:openai',
        'provider:simulated',
      ]);
      for (const check of healthy.body.checks) assert.equal(typeof check.latency_ms, 'number');
      const disk = healthy.body.checks.find((c: { name: string }) => c.name === 'disk');
      assert.ok(disk.observed.free_bytes > 0 && disk.threshold.warn_below_ratio > 0);

      await model.close();
      const degraded = await server.request('GET', '/health/comprehensive');
      assert.equal(degraded.status, 200);
      assert.equal(degraded.body.status, 'degraded');
      const one = await server.request('GET', '/health/provider:openai');
      assert.equal(one.status, 503);
      assert.equal(one.body.status, 'fail');
      assert.equal(
        (await server.request('GET', '/ready')).status,
        200,
        'a non-critical failure keeps the instance ready',
      );

      const metrics = parseExposition((await server.request('GET', '/api/metrics')).text);
      assert.equal(valueOf(metrics, 'health_check_status', { check: 'provider:openai' }), 0);
      assert.equal(valueOf(metrics, 'health_check_status', { check: 'database' }), 1);
    } finally {
      await server.dispose();
      await ollama.close();
    }
  });

  it('reports unhealthy with 503, and not ready, when the database is closed', async () => {
    const server = await startTestServer({ HEALTH_CACHE_TTL_MS: '0' });
    try {
      await server.running.database.close();
      const report = await server.request('GET', '/health/comprehensive');
      assert.equal(report.status, 503);
      assert.equal(report.body.status, 'unhealthy');
      assert.equal((await server.request('GET', '/health/database')).status, 503);
      assert.equal((await server.request('GET', '/ready')).status, 503);
      assert.equal((await server.request('GET', '/live')).status, 200);
    } finally {
      await server.dispose();
    }
  });

  it('answers 404 for an unknown check', async () => {
    const server = await startTestServer();
    try {
      const res = await server.request('GET', '/health/nope');
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'PCS_ERR_HEALTH_CHECK_UNKNOWN');
    } finally {
      await server.dispose();
    }
  });

  it('is not ready from the moment shutdown begins', async () => {
    const model = await startWireServer('openai');
    model.latencyMs = 300;
    const server = await startTestServer({
      OPENAI_BASE_URL: model.url,
      HEALTH_CACHE_TTL_MS: '0',
      SHUTDOWN_TIMEOUT_MS: '3000',
    });
    try {
      assert.equal((await server.request('GET', '/ready')).status, 200);
      // A request in flight keeps the server draining while we probe readiness.
      const slow = server.request('GET', '/api/models');
      await new Promise((r) => setTimeout(r, 50));
      const stopping = server.stop();
      const ready = await server.running.health.isReady();
      assert.equal(ready, false);
      await slow;
      await stopping;
    } finally {
      await server.dispose();
      await model.close();
    }
  });
});
