/**
 * The `TimeSeriesSink` seam: where points go (InfluxDB).
 *
 * Implementer's contract: `write` only enqueues and never blocks, throws or waits for the
 * network: a run must not slow down because a database is slow. Delivery is batched and
 * retried with backoff in the background; the buffer is bounded, and points that do not fit
 * (or that the server rejects as malformed) are counted as dropped. `flush` delivers what is
 * buffered now (for shutdown and tests) and resolves even when delivery failed. `check`
 * observes reachability and never throws.
 */
import type { CheckObservation } from '../health/index.js';
import type { Point } from './line-protocol.js';

export interface TimeSeriesSink {
  /** The `sink` label: `influxdb`. */
  readonly name: string;
  write(points: readonly Point[]): void;
  flush(): Promise<void>;
  check(signal: AbortSignal): Promise<CheckObservation>;
  close(): Promise<void>;
}

/** A rejection the server will repeat for the same data (HTTP 4xx): retrying cannot help. */
export class PermanentWriteError extends Error {
  override readonly name = 'PermanentWriteError';
}
