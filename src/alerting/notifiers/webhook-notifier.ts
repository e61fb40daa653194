/**
 * `WebhookNotifier`: the alert as JSON, signed with HMAC-SHA256 over the exact body in
 * `X-PCS-Signature: sha256=<hex>` (and the timestamp in `X-PCS-Timestamp`, which is part of
 * the signed text, so a captured request cannot be replayed later unnoticed).
 */
import { createHmac } from 'node:crypto';
import type { AlertNotification } from '../alert.js';
import { postJson } from './http-post.js';
import type { Notifier } from './notifier.js';

export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export class WebhookNotifier implements Notifier {
  readonly channel = 'webhook';

  constructor(
    private readonly url: string,
    private readonly secret: string,
  ) {}

  async send(notification: AlertNotification, signal: AbortSignal): Promise<void> {
    const body = JSON.stringify({ type: 'alert', alert: notification });
    const timestamp = String(Math.floor(Date.now() / 1000));
    await postJson(
      this.url,
      body,
      { 'x-pcs-timestamp': timestamp, 'x-pcs-signature': signature(this.secret, timestamp, body) },
      signal,
    );
  }
}
