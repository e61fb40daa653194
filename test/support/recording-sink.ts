/**
 * An in-memory `EventSink` (as OpenTelemetry's InMemorySpanExporter): records what the relay
 * published, and fails every publish while `failure` is set.
 */
import type { CloudEvent, EventSink } from '../../src/sinks/index.js';

export class RecordingSink implements EventSink {
  readonly name = 'recording';
  readonly events: CloudEvent[] = [];
  /** Batches as published, including failed attempts. */
  readonly attempts: (readonly CloudEvent[])[] = [];
  failure: Error | undefined;

  publish(events: readonly CloudEvent[]): Promise<void> {
    this.attempts.push(events);
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.events.push(...events);
    return Promise.resolve();
  }

  check() {
    return Promise.resolve(
      this.failure === undefined
        ? { status: 'pass' as const }
        : { status: 'fail' as const, message: this.failure.message },
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
