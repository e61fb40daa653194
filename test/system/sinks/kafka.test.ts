/**
 * Run events through the outbox to the real Apache Kafka (engines/kafka/pom.xml, KRaft, one
 * node), read back with the project's Kafka client (@platformatic/kafka's Consumer). The byte-level
 * checks and the refused-port outage stay with the loopback broker
 * (test/integration/sinks/kafka-sink.test.ts).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Consumer, stringDeserializers } from '@platformatic/kafka';
import { requireEngine } from '../../support/engine-cache.js';
import { startKafkaServer, type KafkaServer } from '../../support/kafka-server.js';
import { createCardWithCases, untilFinished, waitFor } from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const TOPIC = 'pcs-test.run-events';

interface Received {
  readonly key: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly headers: Record<string, string>;
  readonly data: unknown;
}

/** Reads the whole topic with a new consumer group from the earliest offset until `done`. */
async function readTopic(
  bootstrap: string,
  done: (records: readonly Received[]) => boolean,
): Promise<Received[]> {
  const consumer = new Consumer({
    groupId: `pcs-test-${randomUUID()}`,
    clientId: 'pcs-test-reader',
    bootstrapBrokers: [bootstrap],
    deserializers: stringDeserializers,
  });
  const records: Received[] = [];
  try {
    const stream = await consumer.consume({ topics: [TOPIC], mode: 'earliest', autocommit: false });
    stream.on('data', (m) => {
      records.push({
        key: m.key,
        partition: m.partition,
        offset: m.offset,
        headers: Object.fromEntries(m.headers),
        data: JSON.parse(m.value) as unknown,
      });
    });
    await waitFor('the events in Kafka', () => (done(records) ? true : undefined), 60_000);
    await stream.close();
    return records;
  } finally {
    // close(force) without a callback returns a promise (its typings pick the callback overload).
    const closed: unknown = consumer.close(true);
    await Promise.resolve(closed);
  }
}

const byId = (records: readonly Received[]) => {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.headers.ce_id, (counts.get(r.headers.ce_id) ?? 0) + 1);
  return counts;
};

describe('run events to the real Kafka (KRaft) through the outbox', () => {
  let skip: string | undefined;
  let kafka: KafkaServer;
  let server: TestServer;
  before(
    async () => {
      const engine = await requireEngine('kafka');
      if (engine.skip !== undefined) {
        skip = engine.skip;
        return;
      }
      kafka = await startKafkaServer(engine.dir);
      server = await startTestServer({
        SIMULATED_LATENCY_MS: '5',
        SIMULATED_LATENCY_JITTER: '0',
        SIMULATED_FAILURE_RATE: '0',
        EVENT_SINK: 'kafka',
        KAFKA_BROKERS: kafka.bootstrap,
        KAFKA_TOPIC_PREFIX: 'pcs-test.',
        KAFKA_PUBLISH_TIMEOUT_MS: '5000',
        EVENT_OUTBOX_POLL_INTERVAL_MS: '50',
        SINK_RETRY_BASE_DELAY_MS: '50',
        SINK_RETRY_MAX_DELAY_MS: '500',
      });
    },
    { timeout: 300_000 },
  );
  after(async () => {
    if (skip !== undefined) return;
    await server.dispose();
    await kafka.dispose();
  });

  const runCard = async (cases: number): Promise<string> => {
    const cardId = await createCardWithCases(server, cases);
    const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['simulated:fast'],
    });
    assert.equal(run.status, 202, run.text);
    return run.body.id as string;
  };

  const resultIds = async (runId: string) =>
    new Set(
      (
        (await server.request('GET', `/api/runs/${runId}/results`)).body.items as { id: string }[]
      ).map((r) => r.id),
    );

  // A JVM on a busy two-core machine: starting the broker (or its log dump) can take a minute.
  const slow = { timeout: 600_000 };

  it(
    'publishes binary-mode CloudEvents keyed by run id with an idempotent producer; a consumer reads each once',
    slow,
    async (t) => {
      if (skip !== undefined) return t.skip(skip);
      const runId = await runCard(3);
      await untilFinished(server, runId);
      const all = await readTopic(
        kafka.bootstrap,
        (rs) => rs.filter((r) => r.key === runId).length >= 6,
      );
      const records = all
        .filter((r) => r.key === runId)
        .sort((a, b) => Number(a.offset - b.offset));
      assert.deepEqual(
        records.map((r) => r.headers.ce_type),
        [
          'com.promptcards.run.created',
          'com.promptcards.run.started',
          'com.promptcards.result.recorded',
          'com.promptcards.result.recorded',
          'com.promptcards.result.recorded',
          'com.promptcards.run.finished',
        ],
      );
      for (const r of records) {
        assert.equal(r.headers.ce_specversion, '1.0');
        assert.equal(r.headers.ce_subject, runId);
        assert.equal(r.headers.ce_source, server.config.events.source);
        assert.match(r.headers.ce_time, /^\d{4}-\d\d-\d\dT/);
        assert.equal(r.headers['content-type'], 'application/json');
      }
      assert.equal(
        new Set(records.map((r) => r.partition)).size,
        1,
        "one run's events, one partition",
      );
      assert.ok(
        [...byId(records).values()].every((n) => n === 1),
        'each event id once',
      );
      const results = records.filter(
        (r) => r.headers.ce_type === 'com.promptcards.result.recorded',
      );
      assert.deepEqual(new Set(results.map((r) => r.headers.ce_id)), await resultIds(runId));
      assert.deepEqual(
        new Set(results.map((r) => (r.data as { run_id: string }).run_id)),
        new Set([runId]),
        'the value is the data',
      );
      // The broker's own log: every batch carries a producer id and sequence numbers.
      const batches = await kafka.batches(TOPIC);
      assert.ok(batches.length > 0);
      assert.ok(
        batches.every((b) => b.producerId >= 0 && b.baseSequence >= 0),
        `idempotent batches: ${JSON.stringify(batches)}`,
      );
    },
  );

  it(
    'a broker stop and restart during a run loses nothing and duplicates nothing',
    slow,
    async (t) => {
      if (skip !== undefined) return t.skip(skip);
      // The first run is publishing while the broker shuts down; the second runs wholly during
      // the outage, so events certainly wait in the outbox.
      const during = await runCard(40);
      await kafka.stop();
      const outage = await runCard(2);
      await untilFinished(server, during);
      await untilFinished(server, outage);
      assert.ok(
        (await server.running.eventRelay!.relay.pending()) > 0,
        'events wait in the outbox',
      );
      await kafka.start();
      await waitFor(
        'the outbox to drain',
        async () => ((await server.running.eventRelay!.relay.pending()) === 0 ? true : undefined),
        120_000,
      );
      const finished = (rs: readonly Received[], runId: string) =>
        rs.some((r) => r.key === runId && r.headers.ce_type === 'com.promptcards.run.finished');
      const all = await readTopic(
        kafka.bootstrap,
        (rs) => finished(rs, during) && finished(rs, outage),
      );
      for (const [runId, cases] of [
        [during, 40],
        [outage, 2],
      ] as const) {
        const records = all.filter((r) => r.key === runId);
        const counts = byId(records);
        assert.equal(counts.size, cases + 3, 'created, started, one per result, finished');
        assert.deepEqual(
          [...counts].filter(([, n]) => n !== 1),
          [],
          'no event id twice',
        );
        const results = records.filter(
          (r) => r.headers.ce_type === 'com.promptcards.result.recorded',
        );
        assert.deepEqual(new Set(results.map((r) => r.headers.ce_id)), await resultIds(runId));
      }
    },
  );
});
