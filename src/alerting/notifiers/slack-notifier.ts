/**
 * `SlackNotifier.sendAlert`: the guide's attachment format (colour by severity, title, text,
 * fields, timestamp) to a Slack incoming webhook. Slack answers `ok` on success and a plain
 * error word (`invalid_payload`, `no_service`, …) otherwise; 429 carries Retry-After.
 */
import type { AlertNotification } from '../alert.js';
import { postJson } from './http-post.js';
import { DeliveryError, type Notifier } from './notifier.js';
import { cutText } from '../../util/index.js';

export interface SlackAlert {
  readonly title: string;
  readonly message: string;
  readonly severity: 'info' | 'warning' | 'critical';
  readonly metadata?: Readonly<Record<string, unknown>>;
}

const COLOR = { info: 'good', warning: 'warning', critical: 'danger' } as const;

export class SlackNotifier implements Notifier {
  readonly channel = 'slack';

  constructor(private readonly webhookUrl: string) {}

  /** The guide's API: one alert as one attachment. */
  async sendAlert(
    alert: SlackAlert,
    signal: AbortSignal = AbortSignal.timeout(10_000),
  ): Promise<void> {
    const body = JSON.stringify({
      attachments: [
        {
          color: COLOR[alert.severity],
          title: alert.title,
          text: alert.message,
          fields: Object.entries(alert.metadata ?? {}).map(([title, value]) => ({
            title,
            value: String(value),
            short: true,
          })),
          ts: Math.floor(Date.now() / 1000),
        },
      ],
    });
    const answer = await postJson(this.webhookUrl, body, {}, signal);
    if (answer.trim() !== 'ok' && answer.trim() !== '')
      throw new DeliveryError(`Slack answered ${cutText(answer, 100)}`, false);
  }

  send(notification: AlertNotification, signal: AbortSignal): Promise<void> {
    const resolved = notification.status === 'resolved';
    return this.sendAlert(
      {
        title: `${resolved ? '[RESOLVED] ' : ''}${notification.name}: ${notification.summary}`,
        message: notification.description,
        severity: resolved ? 'info' : notification.severity,
        metadata: {
          severity: notification.severity,
          status: notification.status,
          ...(notification.runbookUrl === null ? {} : { runbook: notification.runbookUrl }),
        },
      },
      signal,
    );
  }
}
