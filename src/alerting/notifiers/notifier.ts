/**
 * The `Notifier` seam: one channel (Slack, e-mail, webhook).
 *
 * Implementer's contract: `send` delivers one notification or throws a `DeliveryError` saying
 * whether a retry may help (and after how long, for a 429); it honours the signal; it never
 * retries or de-duplicates by itself: timeouts, retries with backoff and de-duplication by
 * fingerprint belong to the dispatcher, so every channel behaves the same.
 */
import type { AlertNotification } from '../alert.js';

export interface Notifier {
  /** The `channel` label of alert_notifications_total. */
  readonly channel: string;
  send(notification: AlertNotification, signal: AbortSignal): Promise<void>;
}

export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
