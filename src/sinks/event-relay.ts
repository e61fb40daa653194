/**
 * Wiring of the event stream (`EVENT_SINK`): the sink, the outbox writer the run store calls,
 * the relay that drains it, and its health check. Undefined when no sink is configured: then
 * no outbox rows are written at all (nothing would ever prune them).
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/index.js';
import type { HealthCheck } from '../health/index.js';
import type { Logger } from '../telemetry/logging/index.js';
import type { EventSink } from './event-sink.js';
import { EventOutbox } from './event-outbox.js';
import { OutboxRelay } from './outbox-relay.js';
import { eventSinkCheck } from './sink-check.js';
import type { SinkMetrics } from './sink-metrics.js';

export interface EventRelay {
  readonly outbox: EventOutbox;
  readonly relay: OutboxRelay;
  readonly check: HealthCheck;
  start(): void;
  close(): Promise<void>;
}

export interface EventRelayDeps {
  readonly db: Kysely<Database>;
  readonly metrics: SinkMetrics;
  readonly logger: Logger;
  /** Replaces the sink the configuration names (tests). */
  readonly sink?: EventSink;
}

/**
 * The event sink registry: EVENT_SINK's value → a factory from the configuration (undefined
 * when what it needs is missing). Each sink's client loads only when it is chosen. Adding a
 * sink is its file (an `EventSink`) plus one line here (and its EVENT_SINK value).
 */
export const EVENT_SINKS: Readonly<
  Record<string, (config: Config) => Promise<EventSink | undefined>>
> = {
  'redis-stream': async (config) =>
    config.redisUrl === undefined
      ? undefined
      : (await import('./redis-stream-sink.js')).redisStreamSink({
          url: config.redisUrl,
          streamKey: config.events.redisStream.key,
          maxLength: config.events.redisStream.maxLength,
        }),
  kafka: async ({ events: { kafka } }) =>
    (await import('./kafka-sink.js')).kafkaSink({
      brokers: kafka.brokers,
      topic: kafka.topic,
      clientId: kafka.clientId,
      timeoutMs: kafka.publishTimeoutMs,
      ...(kafka.sasl === undefined ? {} : { sasl: kafka.sasl }),
      ...(kafka.tls === undefined
        ? {}
        : { tls: kafka.tls.caFile === undefined ? {} : { caFile: kafka.tls.caFile } }),
    }),
};

function createSink(config: Config): Promise<EventSink | undefined> {
  const factory = config.events.sink === undefined ? undefined : EVENT_SINKS[config.events.sink];
  return factory === undefined ? Promise.resolve(undefined) : factory(config);
}

export async function createEventRelay(
  config: Config,
  deps: EventRelayDeps,
): Promise<EventRelay | undefined> {
  const sink = deps.sink ?? (await createSink(config));
  if (sink === undefined) return undefined;
  const relay = new OutboxRelay(deps.db, sink, deps.metrics, deps.logger, {
    batchSize: config.events.batchSize,
    pollIntervalMs: config.events.pollIntervalMs,
    retentionMs: config.events.retentionMs,
    backoff: config.sinkRetry,
  });
  const outbox = new EventOutbox(config.events.source, () => relay.wake());
  return {
    outbox,
    relay,
    check: eventSinkCheck(sink, () => relay.pending()),
    start: () => relay.start(),
    close: async () => {
      await relay.stop();
      await sink.close();
    },
  };
}
