/**
 * Delay before the `failures`-th consecutive retry of a sink: exponential with full jitter,
 * random(0, min(max, base · 2^(failures−1))) (AWS Architecture Blog, "Exponential Backoff and
 * Jitter"), so instances that lost the same server do not come back in step.
 */
export interface Backoff {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly random?: () => number;
}

export function backoffDelayMs(failures: number, backoff: Backoff): number {
  const ceiling = Math.min(
    backoff.maxDelayMs,
    backoff.baseDelayMs * 2 ** Math.max(0, failures - 1),
  );
  return (backoff.random ?? Math.random)() * ceiling;
}

/** A sleep that `wake` can end early (unless `firm`), and `cancel` ends for good. */
export class Waiter {
  private timer: NodeJS.Timeout | undefined;
  private resolve: (() => void) | undefined;
  private firm = false;

  sleep(ms: number, firm = false): Promise<void> {
    return new Promise((resolve) => {
      this.firm = firm;
      this.resolve = resolve;
      this.timer = setTimeout(() => this.end(), ms);
    });
  }

  /** Ends a sleep that is not firm (a backoff is firm: new work must not shorten it). */
  wake(): void {
    if (!this.firm) this.end();
  }

  cancel(): void {
    this.end();
  }

  private end(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const resolve = this.resolve;
    this.resolve = undefined;
    resolve?.();
  }
}
