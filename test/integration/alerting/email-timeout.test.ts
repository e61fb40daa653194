import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AlertDispatcher } from '../../../src/alerting/alert-dispatcher.js';
import type { AlertNotification } from '../../../src/alerting/alert.js';
import { EmailNotifier } from '../../../src/alerting/notifiers/email-notifier.js';
import { startSmtpReceiver } from '../../support/alert-receivers.js';

const alert: AlertNotification = {
  fingerprint: 'f1',
  status: 'firing',
  name: 'HighErrorRate',
  severity: 'critical',
  summary: 'Errors',
  description: '',
  labels: { alertname: 'HighErrorRate' },
  startsAt: '2026-11-27T10:00:00Z',
  endsAt: null,
  runbookUrl: null,
};

describe('e-mail channel', () => {
  it("is bounded by the dispatcher's per-channel timeout when SMTP stops answering after DATA", async () => {
    const smtp = await startSmtpReceiver({ stallAfterData: true });
    const email = new EmailNotifier(smtp.url, 'pcs@test', ['ops@test']);
    const outcomes: string[] = [];
    const dispatcher = new AlertDispatcher([email], {
      timeoutMs: 300,
      maxRetries: 1,
      baseDelayMs: 1,
      onOutcome: (channel, outcome) => outcomes.push(`${channel}:${outcome}`),
    });
    try {
      // Without the bound this waits for nodemailer's own 10-minute socket timeout.
      assert.deepEqual(await dispatcher.dispatch(alert), { email: 'failed' });
      assert.deepEqual(outcomes, ['email:retried', 'email:failed']);
      assert.ok(smtp.messages.length >= 1, 'the server got the message and stalled');
    } finally {
      email.close();
      await smtp.close();
    }
  });
});
