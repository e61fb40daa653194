/**
 * A Slack incoming webhook's URL is its credential, and a generic webhook receiver may carry a
 * token in its query: the HTTP client spans of their deliveries must not export either (the
 * undici instrumentation writes `url.full`, `url.path` and `url.query`). Against the real
 * process, a loopback OTLP receiver and loopback webhook receivers.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHttpReceiver, type HttpReceiver } from '../../support/alert-receivers.js';
import { startMain } from '../../support/main-process.js';
import {
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from '../../support/otlp-receiver.js';
import { waitFor } from '../../support/run-helpers.js';
import { tempDir } from '../../support/temp-dir.js';
import { request } from '../../support/test-server.js';

const SLACK_SECRET = 'pLaNtEdSlAcKsEcReT0123456';
const SLACK_PATH = `/services/T0PLANT01/B0PLANT02/${SLACK_SECRET}`;
const HOOK_TOKEN = 'hook-query-token-8c1f';
const TOKEN = 'am-token-123456';
const CLIENT = 3;

const alert = {
  version: '4',
  groupKey: '{}:{alertname="HighErrorRate"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'app',
  groupLabels: { alertname: 'HighErrorRate' },
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://alertmanager.test',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'HighErrorRate', severity: 'critical' },
      annotations: { summary: 'Errors above 5 %', description: 'The 5xx ratio is high.' },
      startsAt: '2026-11-27T10:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.test/graph',
      fingerprint: 'f1',
    },
  ],
};

describe('notifier deliveries in traces', () => {
  let receiver: OtlpReceiver;
  let slack: HttpReceiver;
  let hook: HttpReceiver;
  let stop: () => Promise<void>;
  let spans: ReceivedSpan[] = [];

  before(async () => {
    receiver = await startOtlpReceiver();
    slack = await startHttpReceiver('ok');
    hook = await startHttpReceiver('ok');
    const dir = tempDir();
    const main = startMain(
      {
        PORT: '0',
        DATABASE_URL: `sqlite:${join(dir.path, 'db.sqlite')}`,
        SEED_SAMPLES: 'false',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        TRACE_FLUSH_INTERVAL_MS: '100',
        ALERT_WEBHOOK_TOKEN: TOKEN,
        SLACK_WEBHOOK_URL: `${new URL(slack.url).origin}${SLACK_PATH}`,
        ALERT_WEBHOOK_URL: `${hook.url}?token=${HOOK_TOKEN}`,
        ALERT_WEBHOOK_SECRET: 'hook-hmac-secret-123456',
      },
      dir.path,
    );
    stop = async () => {
      main.child.kill('SIGTERM');
      await main.exited;
      dir.remove();
    };
    const url = await main.url();
    const answer = await request(url, 'POST', '/api/alerts/webhook', alert, {
      authorization: `Bearer ${TOKEN}`,
    });
    assert.equal(answer.status, 200, answer.text);
    await waitFor('both deliveries and their client spans', () => {
      const posts = receiver.spans.filter(
        (s) => s.kind === CLIENT && s.attributes['http.request.method'] === 'POST',
      );
      return slack.posts.length > 0 && hook.posts.length > 0 && posts.length >= 2
        ? true
        : undefined;
    });
    spans = receiver.spans;
  });
  after(async () => {
    await stop();
    await Promise.all([receiver.close(), slack.close(), hook.close()]);
  });

  it('exports the Slack POST span with its origin only, the path redacted', () => {
    const port = Number(new URL(slack.url).port);
    const span = spans.find((s) => s.kind === CLIENT && s.attributes['server.port'] === port);
    assert.ok(span !== undefined, 'no client span for the Slack delivery');
    assert.equal(
      span.attributes['url.full'],
      `${new URL(slack.url).origin}/REDACTED/REDACTED/REDACTED/REDACTED`,
    );
    assert.equal(span.attributes['url.path'], '/REDACTED/REDACTED/REDACTED/REDACTED');
  });

  it('exports no part of either webhook URL’s credentials in any span', () => {
    const text = JSON.stringify(spans);
    for (const secret of [SLACK_SECRET, 'T0PLANT01', 'B0PLANT02', HOOK_TOKEN])
      assert.ok(!text.includes(secret), `${secret} exported in a span`);
  });
});
