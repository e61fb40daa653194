import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseExposition, valueOf } from '../../support/exposition.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

function group(size: number, truncatedAlerts: number) {
  return {
    version: '4',
    groupKey: '{}:{alertname="Big"}',
    truncatedAlerts,
    status: 'firing',
    receiver: 'app',
    alerts: Array.from({ length: size }, (_, i) => ({
      status: 'firing',
      labels: { alertname: 'Big', instance: `i${i}`, severity: 'warning' },
      annotations: { summary: 'big group' },
      startsAt: '2026-11-27T10:00:00.123456789Z',
      fingerprint: `big${i}`,
    })),
  };
}

describe('Alertmanager groups of any size', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ BODY_LIMIT_BYTES: String(4 * 1024 * 1024) });
  });
  after(() => server.dispose());

  it('stores every alert of a 1,500-alert group, and logs and counts truncatedAlerts', async () => {
    const response = await server.request('POST', '/api/alerts/webhook', group(1500, 7));
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.received, 1500);
    const firing = await server.request('GET', '/api/alerts');
    assert.equal(firing.body.items.length, 1500);
    const metrics = parseExposition((await server.request('GET', '/api/metrics')).text);
    assert.equal(valueOf(metrics, 'alert_webhook_truncated_alerts_total'), 7);
  });
});
