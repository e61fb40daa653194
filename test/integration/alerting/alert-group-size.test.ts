import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHttpReceiver, type HttpReceiver } from '../../support/alert-receivers.js';
import { parseExposition, valueOf } from '../../support/exposition.js';
import { waitFor } from '../../support/run-helpers.js';
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

describe('one notification per group and state change', () => {
  let server: TestServer;
  let slack: HttpReceiver;
  before(async () => {
    slack = await startHttpReceiver('ok');
    server = await startTestServer({
      BODY_LIMIT_BYTES: String(4 * 1024 * 1024),
      SLACK_WEBHOOK_URL: slack.url,
    });
  });
  after(async () => {
    await server.dispose();
    await slack.close();
  });

  const slackSent = async () =>
    valueOf(
      parseExposition((await server.request('GET', '/api/metrics')).text),
      'alert_notifications_total',
      { channel: 'slack' },
    );

  it('sends a group of 1,000 alerts as one Slack message listing them, within its limits', async () => {
    const firing = group(1000, 0);
    assert.equal((await server.request('POST', '/api/alerts/webhook', firing)).status, 200);
    await waitFor('a first delivery', async () => ((await slackSent()) >= 1 ? true : undefined));
    const resolved = {
      ...firing,
      status: 'resolved',
      alerts: firing.alerts.map((a) => ({
        ...a,
        status: 'resolved',
        endsAt: '2026-11-27T11:00:00Z',
      })),
    };
    assert.equal((await server.request('POST', '/api/alerts/webhook', resolved)).status, 200);
    await waitFor('a second delivery', async () => ((await slackSent()) >= 2 ? true : undefined));
    assert.equal(await slackSent(), 2, 'one delivery per state change');
    assert.equal(slack.posts.length, 2);
    const [first] = slack.posts.map(
      (p) => JSON.parse(p.body) as { attachments: { title: string; text: string }[] },
    );
    const text = first?.attachments[0]?.text ?? '';
    assert.match(first?.attachments[0]?.title ?? '', /1000 alerts firing/);
    assert.match(text, /instance=i0/);
    assert.match(text, /… and \d+ more$/);
    assert.ok(text.length <= 4000, `Slack text of ${text.length} characters`);
  });
});
