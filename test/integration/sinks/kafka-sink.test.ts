/**
 * Protocol-level test of the Kafka sink: the real client (@platformatic/kafka) against a
 * loopback broker (test/support/kafka-broker.ts) that speaks the Kafka wire protocol and
 * decodes the record batches it receives. It stays for what the real broker cannot show: the
 * bytes of every request (acks=-1 on each Produce, the APIs used, a producer id on each batch)
 * and an outage that refuses the port at once. The real Kafka (KRaft, from Maven Central) is
 * test/system/sinks/kafka.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  startKafkaBroker,
  type KafkaBroker,
  type StoredRecord,
} from '../../support/kafka-broker.js';
import { createCardWithCases, untilFinished, waitFor } from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const TOPIC = 'pcs-test.run-events';

describe('run events to Kafka through the outbox (protocol-level, loopback broker)', () => {
  let broker: KafkaBroker;
  let server: TestServer;
  before(async () => {
    broker = await startKafkaBroker({ partitions: 3 });
    server = await startTestServer({
      SIMULATED_LATENCY_MS: '5',
      SIMULATED_LATENCY_JITTER: '0',
      SIMULATED_FAILURE_RATE: '0',
      EVENT_SINK: 'kafka',
      KAFKA_BROKERS: broker.bootstrap,
      KAFKA_TOPIC_PREFIX: 'pcs-test.',
      KAFKA_PUBLISH_TIMEOUT_MS: '500',
      EVENT_OUTBOX_POLL_INTERVAL_MS: '50',
      SINK_RETRY_BASE_DELAY_MS: '20',
      SINK_RETRY_MAX_DELAY_MS: '200',
    });
  });
  after(async () => {
    await server.dispose();
    await broker.close();
  });

  const recordsOf = (runId: string): StoredRecord[] =>
    broker.records.filter((r) => r.topic === TOPIC && r.key === runId);

  const runCard = async (cases: number): Promise<string> => {
    const cardId = await createCardWithCases(server, cases);
    const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['simulated:fast'],
    });
    assert.equal(run.status, 202, run.text);
    await untilFinished(server, run.body.id);
    return run.body.id as string;
  };

  it('writes CloudEvents keyed by run id, one partition per run, with an idempotent producer and acks=all', async () => {
    const runId = await runCard(3);
    const records = await waitFor('the finished event in Kafka', () => {
      const found = recordsOf(runId);
      return found.length >= 6 ? found : undefined;
    });
    // Binary mode: the attributes are ce_ headers, the value is the data.
    const events = records.map((r) => ({
      type: r.headers.ce_type,
      id: r.headers.ce_id,
      specversion: r.headers.ce_specversion,
      subject: r.headers.ce_subject,
      data: JSON.parse(r.value ?? 'null') as { id?: string; run_id?: string } | null,
    }));
    assert.deepEqual(
      events.map((e) => e.type),
      [
        'com.promptcards.run.created',
        'com.promptcards.run.started',
        'com.promptcards.result.recorded',
        'com.promptcards.result.recorded',
        'com.promptcards.result.recorded',
        'com.promptcards.run.finished',
      ],
    );
    for (const [i, event] of events.entries()) {
      assert.equal(event.specversion, '1.0');
      assert.equal(event.subject, runId);
      assert.equal(records[i].headers['content-type'], 'application/json');
      assert.equal(records[i].headers.ce_source, server.config.events.source);
      assert.match(records[i].headers.ce_time ?? '', /^\d{4}-\d\d-\d\dT/);
      assert.ok(event.data !== null && typeof event.data === 'object', 'the value is the data');
    }
    assert.equal(
      new Set(records.map((r) => r.partition)).size,
      1,
      "a run's events share a partition",
    );
    const offsets = records.map((r) => r.offset);
    assert.deepEqual(
      offsets,
      [...offsets].sort((a, b) => a - b),
      'in offset order',
    );
    assert.ok(
      records.every((r) => r.producerId >= 0n),
      'batches carry a producer id (idempotent)',
    );
    const produce = broker.requests.filter((r) => r.apiKey === 0);
    assert.ok(
      produce.length > 0 && produce.every((r) => r.acks === -1),
      'acks=all on every Produce',
    );
    const apis = new Set(broker.requests.map((r) => r.apiKey));
    for (const key of [18, 3, 22, 0]) assert.ok(apis.has(key), `API ${key} was used`);
    assert.deepEqual(broker.rejections, []);
    const results = (await server.request('GET', `/api/runs/${runId}/results`)).body.items as {
      id: string;
    }[];
    assert.deepEqual(
      new Set(events.filter((e) => e.type === 'com.promptcards.result.recorded').map((e) => e.id)),
      new Set(results.map((r) => r.id)),
    );
  });

  it('while the broker is down, events wait in the outbox (failures counted) and arrive after it returns', async () => {
    await broker.down();
    const runId = await runCard(2);
    assert.equal((await server.request('GET', `/api/runs/${runId}`)).body.status, 'completed');
    await waitFor('a failed delivery to be counted', async () =>
      /sink_writes_total\{sink="kafka",outcome="failed"\} [1-9]/.test(
        (await server.request('GET', '/api/metrics')).text,
      )
        ? true
        : undefined,
    );
    assert.equal(recordsOf(runId).length, 0);
    const pending = await server.running.eventRelay!.relay.pending();
    assert.equal(pending, 5);
    await broker.up();
    const records = await waitFor(
      'the events after the outage',
      () => {
        const found = recordsOf(runId);
        return new Set(found.map((r) => r.headers.ce_id)).size >= 5 ? found : undefined;
      },
      30_000,
    );
    const types = records.map((r) => r.headers.ce_type);
    assert.equal(types[0], 'com.promptcards.run.created');
    assert.equal(types.at(-1), 'com.promptcards.run.finished');
    await waitFor('the outbox to drain', async () =>
      (await server.running.eventRelay!.relay.pending()) === 0 ? true : undefined,
    );
  });
});
