/**
 * `EVENT_SINK=kafka`: each CloudEvent is one record of the topic `<KAFKA_TOPIC_PREFIX>run-events`
 * in binary mode (CloudEvents Kafka protocol binding 1.0: the value is the event's `data` as
 * JSON, the attributes are headers `ce_specversion`, `ce_id`, `ce_source`, `ce_type`,
 * `ce_subject`, `ce_time`, and `content-type` is the `datacontenttype`), keyed by the run id so
 * one run's events share a partition and keep their order. The producer is idempotent with `acks=all`:
 * the broker de-duplicates its own retries, and `publish` resolves only when every in-sync
 * replica has the batch. Retries across outages are the relay's (the events wait in the
 * outbox), so the client itself retries little and fails fast.
 *
 * Client: @platformatic/kafka, pure TypeScript and maintained (kafkajs has had no release since
 * 2023; Confluent's client binds librdkafka natively, which needs a native build here).
 */
import { readFileSync } from 'node:fs';
import { ProduceAcks, Producer, stringSerializers, type SASLOptions } from '@platformatic/kafka';
import type { CloudEvent } from './cloud-event.js';
import type { EventSink } from './event-sink.js';

export interface KafkaSinkOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly clientId: string;
  readonly sasl?: {
    readonly mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
    readonly username: string;
    readonly password: string;
  };
  /** TLS to the brokers; `caFile` adds a CA (PEM) to Node's trusted ones. */
  readonly tls?: { readonly caFile?: string };
  /** How long a publish may wait for the acknowledgement (ms, default 10 s). */
  readonly timeoutMs?: number;
}

/** The record of one event in the binding's binary mode: the key is the run id. */
export function toKafkaRecord(event: CloudEvent): {
  key: string;
  value: string;
  headers: Record<string, string>;
} {
  return {
    key: event.subject,
    value: JSON.stringify(event.data),
    headers: {
      ce_specversion: event.specversion,
      ce_id: event.id,
      ce_source: event.source,
      ce_type: event.type,
      ce_subject: event.subject,
      ce_time: event.time,
      'content-type': event.datacontenttype,
    },
  };
}

export function kafkaSink(options: KafkaSinkOptions): EventSink {
  const sasl: SASLOptions | undefined =
    options.sasl === undefined
      ? undefined
      : {
          mechanism: options.sasl.mechanism,
          username: options.sasl.username,
          password: options.sasl.password,
        };
  const deadlineMs = options.timeoutMs ?? 10_000;
  // Read once, when the sink is made (at start-up): a missing CA file stops the start, not
  // every publish after it.
  const tls =
    options.tls === undefined
      ? undefined
      : options.tls.caFile === undefined
        ? {}
        : { ca: readFileSync(options.tls.caFile, 'utf8') };
  const create = () =>
    new Producer({
      clientId: options.clientId,
      bootstrapBrokers: [...options.brokers],
      serializers: stringSerializers,
      idempotent: true,
      acks: ProduceAcks.ALL,
      autocreateTopics: true,
      // An idempotent producer turns retries ≤ 1 into "retry forever", which would hold a
      // publish (and, after a close, a retry timer) for the whole outage: 2 keeps them bounded.
      retries: 2,
      retryDelay: 100,
      connectTimeout: Math.min(3_000, deadlineMs),
      // A request outliving its connection keeps a timer of this length: bound it too.
      requestTimeout: deadlineMs,
      ...(sasl === undefined ? {} : { sasl }),
      ...(tls === undefined ? {} : { tls }),
    });
  // While no broker answers, the client waits for one rather than failing; a publish that
  // outlives its deadline closes the producer (cancelling what it holds, which the outbox
  // still has) and the next publish starts a new one with a new producer id.
  let producer: ReturnType<typeof create> | undefined;
  const discard = async (): Promise<void> => {
    const old = producer;
    producer = undefined;
    if (old === undefined) return;
    // close(force) without a callback returns a promise (its typings pick the callback overload).
    const closed: unknown = old.close(true);
    await Promise.resolve(closed).catch(() => undefined);
  };
  return {
    name: 'kafka',
    async publish(events: readonly CloudEvent[]) {
      producer ??= create();
      const sent = producer.send({
        messages: events.map((event) => ({ topic: options.topic, ...toKafkaRecord(event) })),
      });
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Kafka did not acknowledge within ${deadlineMs} ms`)),
          deadlineMs,
        );
      });
      try {
        await Promise.race([sent, deadline]);
      } catch (error) {
        sent.catch(() => undefined);
        await discard();
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
    async check() {
      try {
        producer ??= create();
        const metadata = await producer.metadata({ topics: [options.topic], forceUpdate: true });
        return { status: 'pass', observed: { brokers: metadata.brokers.size } };
      } catch (error) {
        return { status: 'fail', message: error instanceof Error ? error.message : String(error) };
      }
    },
    close: discard,
  };
}
