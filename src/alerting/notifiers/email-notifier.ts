/** `EmailNotifier`: one message per alert over SMTP (nodemailer), subject and text from the alert. */
import nodemailer, { type Transporter } from 'nodemailer';
import type { AlertNotification } from '../alert.js';
import { DeliveryError, type Notifier } from './notifier.js';

export class EmailNotifier implements Notifier {
  readonly channel = 'email';
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    private readonly to: readonly string[],
  ) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async send(notification: AlertNotification, signal: AbortSignal): Promise<void> {
    const state =
      notification.status === 'resolved' ? 'RESOLVED' : notification.severity.toUpperCase();
    const text = [
      notification.summary,
      '',
      notification.description,
      '',
      `Status: ${notification.status}`,
      `Severity: ${notification.severity}`,
      `Started: ${notification.startsAt}`,
      ...(notification.endsAt === null ? [] : [`Resolved: ${notification.endsAt}`]),
      ...(notification.runbookUrl === null ? [] : [`Runbook: ${notification.runbookUrl}`]),
      '',
      ...Object.entries(notification.labels).map(([k, v]) => `${k}=${v}`),
    ].join('\n');
    if (signal.aborted) throw new DeliveryError('timed out', true);
    try {
      await this.transport.sendMail({
        from: this.from,
        to: [...this.to],
        subject: `[${state}] ${notification.name}: ${notification.summary}`,
        text,
      });
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      // SMTP 4xx are transient by definition (RFC 5321); 5xx are permanent.
      throw new DeliveryError(
        error instanceof Error ? error.message : String(error),
        code === undefined || code < 500,
      );
    }
  }

  close(): void {
    this.transport.close();
  }
}
