/**
 * Cooperative yielding for long CPU work on the event loop (bulk imports, large serialisations):
 * the caller does its work in chunks and awaits yieldToLoop() between them, so timers, I/O and
 * other requests (`/live` included) run in between instead of waiting for the whole job.
 */

/** Resolves in the loop's check phase, after pending I/O callbacks have run. */
export function yieldToLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/** Rows a bulk path handles between two yields: a few milliseconds of work. */
export const YIELD_EVERY_ROWS = 500;
