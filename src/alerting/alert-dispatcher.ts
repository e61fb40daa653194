/**
 * Fans one alert out to every notifier. Each channel gets its own timeout (enforced here, not
 * left to the notifier: nodemailer, for one, cannot be aborted and waits on a silent server for
 * its own 10-minute socket timeout) and retries with
 * exponential backoff (a 429's Retry-After wins, capped); channels run in parallel, so one
 * failing or slow channel never holds up another. Outcomes are counted per channel; a
 * dispatch never throws.
 */
import type { AlertNotification } from './alert.js';
import { DeliveryError, type Notifier } from './notifiers/notifier.js';
import { sleep } from '../providers/index.js';

export type DeliveryOutcome = 'sent' | 'failed' | 'retried';

export interface DispatcherOptions {
  readonly timeoutMs?: number;
  readonly maxRetries?: number;
  readonly baseDelayMs?: number;
  readonly maxRetryAfterMs?: number;
  readonly onOutcome?: (channel: string, outcome: DeliveryOutcome, error?: string) => void;
}

export class AlertDispatcher {
  constructor(
    private readonly notifiers: readonly Notifier[],
    private readonly options: DispatcherOptions = {},
  ) {}

  channels(): string[] {
    return this.notifiers.map((n) => n.channel);
  }

  /** Delivers to every channel; resolves with each channel's final outcome. */
  async dispatch(notification: AlertNotification): Promise<Record<string, 'sent' | 'failed'>> {
    const results = await Promise.all(
      this.notifiers.map(async (n) => [n.channel, await this.deliver(n, notification)] as const),
    );
    return Object.fromEntries(results);
  }

  private async deliver(
    notifier: Notifier,
    notification: AlertNotification,
  ): Promise<'sent' | 'failed'> {
    const maxRetries = this.options.maxRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        await withinTimeout(
          notifier.send(notification, AbortSignal.timeout(this.options.timeoutMs ?? 10_000)),
          this.options.timeoutMs ?? 10_000,
        );
        this.options.onOutcome?.(notifier.channel, 'sent');
        return 'sent';
      } catch (error) {
        const retryable = !(error instanceof DeliveryError) || error.retryable;
        const message = error instanceof Error ? error.message : String(error);
        if (!retryable || attempt >= maxRetries) {
          this.options.onOutcome?.(notifier.channel, 'failed', message);
          return 'failed';
        }
        this.options.onOutcome?.(notifier.channel, 'retried', message);
        const base = this.options.baseDelayMs ?? 500;
        const retryAfter = error instanceof DeliveryError ? error.retryAfterMs : undefined;
        const delay =
          retryAfter === undefined
            ? Math.random() * base * 2 ** attempt
            : Math.min(retryAfter, this.options.maxRetryAfterMs ?? 60_000);
        await sleep(delay);
      }
    }
  }
}

/** `work`, or a retryable DeliveryError once `timeoutMs` passes (the work is abandoned). */
async function withinTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DeliveryError(`timed out after ${timeoutMs} ms`, true)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
    // An abandoned send that fails later must not become an unhandled rejection.
    work.catch(() => undefined);
  }
}
