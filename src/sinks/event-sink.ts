/**
 * The `EventSink` seam: where the outbox relay delivers CloudEvents (Kafka, Redis Streams).
 *
 * Implementer's contract: `publish` resolves only once every event of the batch is durably
 * accepted (Kafka: acks from all in-sync replicas; Redis: the XADDs executed), and rejects
 * otherwise, in which case the relay retries the same batch later, with the same event ids.
 * Delivery is therefore at-least-once; a sink never drops or reorders events of one subject.
 * `check` observes reachability for the (non-critical) health check and never throws.
 * `close` releases connections; it never waits for unsent events (they stay in the outbox).
 */
import type { CheckObservation } from '../health/index.js';
import type { CloudEvent } from './cloud-event.js';

export interface EventSink {
  /** The `sink` label: `kafka`, `redis-stream`. */
  readonly name: string;
  publish(events: readonly CloudEvent[]): Promise<void>;
  check(signal: AbortSignal): Promise<CheckObservation>;
  close(): Promise<void>;
}
