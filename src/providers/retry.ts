/**
 * Retries with exponential backoff and full jitter (delay = random(0, min(cap, base·2^attempt))),
 * only for retryable `ProviderError`s. A 429's Retry-After replaces the computed delay, because
 * retrying sooner would only be refused again. Cancellation stops at once.
 *
 * A server's asked-for wait (`retry-after-ms`, `Retry-After`) longer than `maxRetryAfterMs` is
 * not waited either: the call fails at once with the error that asked for it.
 *
 * A budget bounds the whole call, attempts and waits together: a wait that would end past it
 * (a Retry-After of 30 s with 4 s left) is not waited; the call fails at once with the error
 * that asked for it (`rate_limited` for a 429).
 */
import { ProviderError } from './provider-error.js';
import { sleep } from './sleep.js';

/** An attempt with less budget left than this is not worth starting. */
const MIN_ATTEMPT_MS = 10;

export interface RetryOptions {
  readonly maxRetries: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /**
   * When the whole call must be over, in `performance.now()` time; without one only
   * `maxRetries` bounds it.
   */
  readonly deadline?: number;
  /** The longest server-asked wait honoured, in ms (PROVIDER_RETRY_AFTER_MAX_MS); default 60 s. */
  readonly maxRetryAfterMs?: number;
  readonly random?: () => number;
  /** Called before each wait, for logs and metrics. */
  readonly onRetry?: (error: ProviderError, attempt: number, delayMs: number) => void;
}

export interface RetryOutcome<T> {
  readonly value: T;
  /** How many attempts it took (1 = no retry). */
  readonly attempts: number;
}

export function backoffDelay(error: ProviderError, attempt: number, options: RetryOptions): number {
  const base = options.baseDelayMs ?? 200;
  const cap = options.maxDelayMs ?? 10_000;
  if (error.details.retryAfterMs !== undefined) return error.details.retryAfterMs;
  return (options.random ?? Math.random)() * Math.min(cap, base * 2 ** attempt);
}

/** Runs `attempt` until it succeeds, fails for good, runs out of retries or budget, or `signal` aborts. */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  signal: AbortSignal,
  options: RetryOptions,
): Promise<RetryOutcome<T>> {
  for (let n = 0; ; n++) {
    try {
      return { value: await attempt(n + 1), attempts: n + 1 };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (!(error instanceof ProviderError)) throw error;
      // The error carries the attempt count, so a failed result records how many calls it took.
      if (!error.retryable || n >= options.maxRetries) throw error.with({ attempts: n + 1 });
      const delay = backoffDelay(error, n, options);
      const maxAsked = options.maxRetryAfterMs ?? 60_000;
      if (error.details.retryAfterMs !== undefined && error.details.retryAfterMs > maxAsked)
        throw error.with({
          attempts: n + 1,
          message: `${error.message} (the server asked to wait ${Math.round(delay)} ms, more than the ${maxAsked} ms allowed)`,
        });
      if (
        options.deadline !== undefined &&
        performance.now() + delay >= options.deadline - MIN_ATTEMPT_MS
      ) {
        const left = Math.max(0, Math.round(options.deadline - performance.now()));
        throw error.with({
          attempts: n + 1,
          message: `${error.message} (waiting ${Math.round(delay)} ms more would exceed the call budget; ${left} ms left)`,
        });
      }
      options.onRetry?.(error, n + 1, delay);
      await sleep(delay, signal);
    }
  }
}
