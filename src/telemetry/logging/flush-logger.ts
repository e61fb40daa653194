/**
 * Flushes the log before the process exits without ever blocking it. pino's exit handler runs
 * sonic-boom's synchronous `flushSync`, which retries a failed write in a loop of 100 ms sleeps;
 * with a broken pipe (the reader of stdout went away: a log shipper restarted, a terminal
 * closed) every write fails with EPIPE and the process hangs in `Atomics.wait` for ever. So the
 * log is flushed asynchronously, bounded by `timeoutMs`; then the destination's `flushSync` is
 * made a no-op (as pino itself does on an EPIPE error event) so the exit handler cannot loop:
 * what the asynchronous flush wrote is out, what it could not write is lost, the exit is not.
 * Call it last, right before `process.exit`.
 */
import pino from 'pino';
import type { Logger } from './logger.js';

interface SyncFlushable {
  flushSync?: () => void;
}

function destinationOf(logger: Logger): SyncFlushable | undefined {
  const stream: unknown = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym];
  return typeof stream === 'object' && stream !== null ? stream : undefined;
}

export function flushLogger(logger: Logger, timeoutMs: number): Promise<void> {
  const giveUp = () => {
    const destination = destinationOf(logger);
    if (destination?.flushSync !== undefined) destination.flushSync = () => undefined;
  };
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      giveUp();
      resolve();
    }, timeoutMs);
    timer.unref();
    try {
      logger.flush(() => {
        clearTimeout(timer);
        giveUp();
        resolve();
      });
    } catch {
      clearTimeout(timer);
      giveUp();
      resolve();
    }
  });
}
