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
import { redisStreamSink } from './redis-stream-sink.js';
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

/** The sink EVENT_SINK names; the Kafka client loads only when Kafka is chosen. */
async function createSink(config: Config): Promise<EventSink | undefined> {
  switch (config.events.sink) {
    case 'redis-stream':
      if (config.redisUrl === undefined) return undefined;
      return redisStreamSink({
        url: config.redisUrl,
        streamKey: config.events.redisStream.key,
        maxLength: config.events.redisStream.maxLength,
      });
    case 'kafka': {
      const kafka = config.events.kafka;
      const { kafkaSink } = await import('./kafka-sink.js');
      return kafkaSink({
        brokers: kafka.brokers,
        topic: kafka.topic,
        clientId: kafka.clientId,
        timeoutMs: kafka.publishTimeoutMs,
        ...(kafka.sasl === undefined ? {} : { sasl: kafka.sasl }),
        ...(kafka.tls === undefined
          ? {}
          : { tls: kafka.tls.caFile === undefined ? {} : { caFile: kafka.tls.caFile } }),
      });
    }
    default:
      return undefined;
  }
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
