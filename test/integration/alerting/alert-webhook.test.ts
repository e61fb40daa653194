import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseExposition, valueOf } from '../../support/exposition.js';
import {
  startHttpReceiver,
  startSmtpReceiver,
  type HttpReceiver,
  type SmtpReceiver,
} from '../../support/alert-receivers.js';
import { waitFor } from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const TOKEN = 'am-token';

function payload(
  status: 'firing' | 'resolved',
  alerts: { fingerprint: string; severity: string; startsAt?: string }[],
) {
  return {
    version: '4',
    groupKey: '{}:{alertname="HighErrorRate"}',
    truncatedAlerts: 0,
    status,
    receiver: 'app',
    groupLabels: { alertname: 'HighErrorRate' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.test',
    alerts: alerts.map((a) => ({
      status,
      labels: { alertname: 'HighErrorRate', severity: a.severity },
      annotations: {
        summary: 'Errors above 5 %',
        description: 'The 5xx ratio is high.',
        runbook_url: 'https://runbooks.test/HighErrorRate.md',
      },
      startsAt: a.startsAt ?? '2026-11-27T10:00:00Z',
      endsAt: status === 'resolved' ? '2026-11-27T10:10:00Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.test/graph',
      fingerprint: a.fingerprint,
    })),
  };
}

describe('POST /api/alerts/webhook', () => {
  let slack: HttpReceiver;
  let smtp: SmtpReceiver;
  let server: TestServer;
  const auth = { authorization: `Bearer ${TOKEN}` };

  before(async () => {
    slack = await startHttpReceiver('ok');
    smtp = await startSmtpReceiver();
    server = await startTestServer({
      ALERT_WEBHOOK_TOKEN: TOKEN,
      SLACK_WEBHOOK_URL: slack.url,
      SMTP_URL: smtp.url,
      ALERT_EMAIL_FROM: 'alerts@pcs.test',
      ALERT_EMAIL_TO: 'oncall@pcs.test',
    });
  });
  after(async () => {
    await server.dispose();
    await slack.close();
    await smtp.close();
  });

  it('refuses a request without the bearer token (401) and a bad payload (400 naming fields)', async () => {
    const unauthorized = await server.request(
      'POST',
      '/api/alerts/webhook',
      payload('firing', [{ fingerprint: 'f0', severity: 'critical' }]),
    );
    assert.equal(unauthorized.status, 401);
    assert.equal(unauthorized.body.error.code, 'PCS_ERR_ALERT_UNAUTHORIZED');
    for (const authorization of [TOKEN, `Basic ${TOKEN}`, `Bearer ${TOKEN} extra`]) {
      const noScheme = await server.request(
        'POST',
        '/api/alerts/webhook',
        payload('firing', [{ fingerprint: 'f0', severity: 'critical' }]),
        { authorization },
      );
      assert.equal(noScheme.status, 401, authorization);
    }
    const bad = await server.request(
      'POST',
      '/api/alerts/webhook',
      { version: '3', alerts: 'x' },
      auth,
    );
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'PCS_ERR_ALERT_BAD_PAYLOAD');
    assert.ok(bad.body.error.fields.some((f: { field: string }) => f.field === 'version'));
    assert.deepEqual((await server.request('GET', '/api/alerts/history')).body.total, 0);
  });

  it('stores each alert, notifies Slack and e-mail once per group and state change, ignores duplicates, and follows resolution', async () => {
    const first = await server.request(
      'POST',
      '/api/alerts/webhook',
      payload('firing', [
        { fingerprint: 'f1', severity: 'critical' },
        { fingerprint: 'f2', severity: 'warning' },
      ]),
      auth,
    );
    assert.equal(first.status, 200);
    assert.deepEqual(first.body, { received: 2, new: 2 });
    const again = await server.request(
      'POST',
      '/api/alerts/webhook',
      payload('firing', [{ fingerprint: 'f1', severity: 'critical' }]),
      auth,
    );
    assert.deepEqual(again.body, { received: 1, new: 0 });
    // Two alerts of one group firing together: one message listing both, per channel.
    await waitFor('one Slack post and one e-mail', () =>
      slack.posts.length === 1 && smtp.messages.length === 1 ? true : undefined,
    );
    assert.match(slack.posts[0]?.body ?? '', /2 alerts firing/);

    const critical = (await server.request('GET', '/api/alerts?severity=critical')).body.items;
    assert.deepEqual(
      critical.map((a: { fingerprint: string }) => a.fingerprint),
      ['f1'],
    );
    assert.equal((await server.request('GET', '/api/alerts')).body.items.length, 2);
    assert.equal((await server.request('GET', '/api/alerts?severity=loud')).status, 422);

    await server.request(
      'POST',
      '/api/alerts/webhook',
      payload('resolved', [{ fingerprint: 'f1', severity: 'critical' }]),
      auth,
    );
    await waitFor('the resolution', () =>
      slack.posts.length === 2 && smtp.messages.length === 2 ? true : undefined,
    );
    assert.match(slack.posts[1]?.body ?? '', /\[RESOLVED\] HighErrorRate/);
    assert.deepEqual(
      (await server.request('GET', '/api/alerts')).body.items.map(
        (a: { fingerprint: string }) => a.fingerprint,
      ),
      ['f2'],
    );
    const history = (await server.request('GET', '/api/alerts/history')).body;
    assert.equal(history.total, 3);
    assert.deepEqual(
      history.items
        .filter((e: { fingerprint: string }) => e.fingerprint === 'f1')
        .map((e: { status: string }) => e.status),
      ['resolved', 'firing'],
    );

    const metrics = parseExposition((await server.request('GET', '/api/metrics')).text);
    assert.equal(
      valueOf(metrics, 'alert_notifications_total', { channel: 'slack', outcome: 'sent' }),
      2,
    );
    assert.equal(
      valueOf(metrics, 'alert_notifications_total', { channel: 'email', outcome: 'sent' }),
      2,
    );
  });
});
