import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AlertDispatcher,
  DeliveryError,
  signature,
  SlackNotifier,
  WebhookNotifier,
  type AlertNotification,
  type Notifier,
} from '../../../src/alerting/index.js';
import { EmailNotifier } from '../../../src/alerting/notifiers/email-notifier.js';
import { startHttpReceiver, startSmtpReceiver } from '../../support/alert-receivers.js';

const alert: AlertNotification = {
  fingerprint: 'abc123',
  status: 'firing',
  name: 'HighErrorRate',
  severity: 'critical',
  summary: 'More than 5 % of requests fail',
  description: 'The 5xx ratio is 12 % over 5 minutes.',
  labels: { alertname: 'HighErrorRate', severity: 'critical', job: 'prompt-card-backend' },
  startsAt: '2026-11-27T10:00:00Z',
  endsAt: null,
  runbookUrl: 'https://example.test/runbooks/HighErrorRate.md',
};

/** The notifier contract, against each real or wire-format receiver. */
describe('notifiers deliver to their real receivers', () => {
  it("SlackNotifier.sendAlert posts the guide's attachment (colour by severity, fields, ts)", async () => {
    const slack = await startHttpReceiver('ok');
    try {
      await new SlackNotifier(slack.url).send(alert, AbortSignal.timeout(5000));
      const body = JSON.parse(slack.posts[0]?.body ?? '{}') as {
        attachments: {
          color: string;
          title: string;
          text: string;
          fields: { title: string; value: string; short: boolean }[];
          ts: number;
        }[];
      };
      const [attachment] = body.attachments;
      assert.equal(attachment?.color, 'danger');
      assert.equal(attachment?.title, 'HighErrorRate: More than 5 % of requests fail');
      assert.equal(attachment?.text, alert.description);
      assert.deepEqual(
        attachment?.fields.find((f) => f.title === 'runbook'),
        { title: 'runbook', value: alert.runbookUrl, short: true },
      );
      assert.ok(Math.abs((attachment?.ts ?? 0) - Date.now() / 1000) < 10);
      await new SlackNotifier(slack.url).send(
        { ...alert, status: 'resolved', endsAt: '2026-11-27T10:05:00Z' },
        AbortSignal.timeout(5000),
      );
      const resolved = JSON.parse(slack.posts[1]?.body ?? '{}') as {
        attachments: { color: string; title: string }[];
      };
      assert.equal(resolved.attachments[0]?.color, 'good');
      assert.match(resolved.attachments[0]?.title ?? '', /^\[RESOLVED\]/);
    } finally {
      await slack.close();
    }
  });

  it("classifies Slack's answers: 429 retryable with Retry-After, invalid_payload permanent", async () => {
    const slack = await startHttpReceiver('ok');
    try {
      slack.script.push(
        { status: 429, retryAfter: '2', body: 'rate_limited' },
        { status: 400, body: 'invalid_payload' },
      );
      await assert.rejects(
        new SlackNotifier(slack.url).send(alert, AbortSignal.timeout(5000)),
        (e) => e instanceof DeliveryError && e.retryable && e.retryAfterMs === 2000,
      );
      await assert.rejects(
        new SlackNotifier(slack.url).send(alert, AbortSignal.timeout(5000)),
        (e) => e instanceof DeliveryError && !e.retryable,
      );
    } finally {
      await slack.close();
    }
  });

  it('EmailNotifier sends one message over SMTP with subject and text from the alert', async () => {
    const smtp = await startSmtpReceiver();
    const notifier = new EmailNotifier(smtp.url, 'alerts@pcs.test', [
      'oncall@pcs.test',
      'lead@pcs.test',
    ]);
    try {
      await notifier.send(alert, AbortSignal.timeout(5000));
      const [message] = smtp.messages;
      assert.equal(message?.from, 'alerts@pcs.test');
      assert.deepEqual(message?.to, ['oncall@pcs.test', 'lead@pcs.test']);
      assert.match(
        message?.raw ?? '',
        /Subject: \[CRITICAL\] HighErrorRate: More than 5 % of requests fail/,
      );
      assert.match(
        message?.raw ?? '',
        /Runbook: https:\/\/example\.test\/runbooks\/HighErrorRate\.md/,
      );
    } finally {
      notifier.close();
      await smtp.close();
    }
  });

  it('WebhookNotifier signs the exact body with HMAC-SHA256 over timestamp and body', async () => {
    const hook = await startHttpReceiver('');
    try {
      await new WebhookNotifier(hook.url, 'hook-secret').send(alert, AbortSignal.timeout(5000));
      const post = hook.posts[0];
      const timestamp = String(post?.headers['x-pcs-timestamp']);
      assert.equal(
        post?.headers['x-pcs-signature'],
        signature('hook-secret', timestamp, post?.body ?? ''),
      );
      assert.notEqual(
        post?.headers['x-pcs-signature'],
        signature('other-secret', timestamp, post?.body ?? ''),
      );
      assert.deepEqual(JSON.parse(post?.body ?? '{}'), { type: 'alert', alert: { ...alert } });
    } finally {
      await hook.close();
    }
  });
});

describe('AlertDispatcher', () => {
  it('retries after Retry-After and never lets a hanging channel hold up another', async () => {
    const slack = await startHttpReceiver('ok');
    const hanging: Notifier = {
      channel: 'hanging',
      send: (_n, signal) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('timeout'))),
        ),
    };
    const outcomes: string[] = [];
    const dispatcher = new AlertDispatcher([new SlackNotifier(slack.url), hanging], {
      timeoutMs: 300,
      maxRetries: 1,
      baseDelayMs: 10,
      onOutcome: (channel, outcome) => outcomes.push(`${channel}:${outcome}`),
    });
    try {
      slack.script.push({ status: 429, retryAfter: '1', body: 'rate_limited' });
      const started = Date.now();
      const result = await dispatcher.dispatch(alert);
      assert.deepEqual(result, { slack: 'sent', hanging: 'failed' });
      assert.equal(slack.posts.length, 2);
      assert.ok(
        (slack.posts[1]?.at ?? 0) - (slack.posts[0]?.at ?? 0) >= 950,
        'retried before Retry-After',
      );
      assert.ok(Date.now() - started < 3000);
      assert.deepEqual(outcomes.sort(), [
        'hanging:failed',
        'hanging:retried',
        'slack:retried',
        'slack:sent',
      ]);
    } finally {
      await slack.close();
    }
  });

  it('does not retry a permanent failure', async () => {
    let calls = 0;
    const broken: Notifier = {
      channel: 'broken',
      send: () => {
        calls++;
        return Promise.reject(new DeliveryError('HTTP 400', false));
      },
    };
    assert.deepEqual(await new AlertDispatcher([broken], { baseDelayMs: 1 }).dispatch(alert), {
      broken: 'failed',
    });
    assert.equal(calls, 1);
  });
});
