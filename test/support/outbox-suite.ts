/**
 * The transactional outbox contract, run against every database: SQLite in test/integration,
 * PostgreSQL in test/system. Each state change of the run store and its CloudEvent commit or
 * roll back together; the relay delivers in order, marks rows sent and prunes them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { CardStore, cardInputSchema } from '../../src/cards/index.js';
import { PLAINTEXT, type DatabaseHandle, type RunResultTable } from '../../src/db/index.js';
import type { RunOutbox } from '../../src/runs/index.js';
import { newLeaseOwner, RunLeases } from '../../src/runs/run-lease.js';
import { RunStore } from '../../src/runs/run-store.js';
import { EventOutbox, NO_SINK_METRICS, OutboxRelay } from '../../src/sinks/index.js';
import { silentLogger } from '../../src/telemetry/logging/index.js';
import { RecordingSink } from './recording-sink.js';
import { suiteDatabase } from './suite-database.js';

const SOURCE = '/prompt-card-system/test';

function result(runId: string, n: number, model = 'simulated:fast'): RunResultTable {
  return {
    id: randomUUID(),
    run_id: runId,
    test_case_id: `tc-${n}`,
    model,
    repetition: 1,
    rendered_prompt: `prompt ${n}`,
    output: `output ${n}`,
    latency_ms: 100 + n,
    input_tokens: 10,
    output_tokens: 20,
    cost_usd: 0.001,
    assertion_results: '[]',
    score: n % 2,
    passed: n % 2,
    judged: 1,
    cached: 0,
    error_type: null,
    error_message: null,
    simulated: 1,
    attempts: 1,
    created_at: new Date().toISOString(),
  };
}

export function defineOutboxSuite(label: string, open: () => Promise<DatabaseHandle | string>) {
  describe(`transactional outbox on ${label}`, () => {
    const database = suiteDatabase(open);
    let cards: CardStore;
    let cardId: string;
    before(async () => {
      if (!database.open) return;
      cards = new CardStore(database.handle.db);
      cardId = (await cards.createCard(cardInputSchema.parse({ title: 'T', prompt_template: 'x' })))
        .id;
    });

    const newRun = (store: RunStore, id = randomUUID()) =>
      store
        .createRun({
          id,
          prompt_card_id: cardId,
          status: 'queued',
          models: JSON.stringify(['simulated:fast']),
          test_case_ids: '[]',
          concurrency: 2,
          repeat: 1,
          total_items: 4,
          user_category: 'anonymous',
          created_at: new Date().toISOString(),
        })
        .then(() => id);

    const outboxRows = (subject: string) =>
      database.handle.db
        .selectFrom('event_outbox')
        .selectAll()
        .where('subject', '=', subject)
        .orderBy('seq')
        .execute();

    it('writes each state change with its CloudEvent: lifecycle, one per result, summary at the end', async (t) => {
      if (database.skip(t)) return;
      const store = new RunStore(database.handle.db, PLAINTEXT, new EventOutbox(SOURCE));
      const runId = await newRun(store);
      await store.updateRun(runId, { status: 'running', started_at: new Date().toISOString() });
      const rows = [0, 1, 2, 3].map((n) => result(runId, n));
      await store.insertResults(rows);
      // A result already stored is skipped, and so is its event.
      await store.insertResults([{ ...rows[0], id: randomUUID() }]);
      await store.updateRun(runId, { status: 'completed', finished_at: new Date().toISOString() });

      const stored = await outboxRows(runId);
      assert.deepEqual(
        stored.map((r) => r.type),
        [
          'com.promptcards.run.created',
          'com.promptcards.run.started',
          ...rows.map(() => 'com.promptcards.result.recorded'),
          'com.promptcards.run.finished',
        ],
      );
      for (const row of stored) {
        const event = JSON.parse(row.event) as Record<string, unknown>;
        assert.equal(event.specversion, '1.0');
        assert.equal(event.source, SOURCE);
        assert.equal(event.subject, runId);
        assert.equal(event.id, row.id);
        assert.equal(event.datacontenttype, 'application/json');
        assert.equal(row.sent_at, null);
      }
      assert.deepEqual(
        stored.filter((r) => r.type.endsWith('result.recorded')).map((r) => r.id),
        rows.map((r) => r.id),
        'a result event carries the result id',
      );
      const resultEvent = JSON.parse(stored[2].event) as { data: Record<string, unknown> };
      assert.equal(resultEvent.data.test_case_id, 'tc-0');
      assert.equal(resultEvent.data.latency_ms, 100);
      assert.equal('output' in resultEvent.data, false, 'outputs stay out of events');
      const finished = JSON.parse(stored.at(-1)!.event) as {
        data: { status: string; summary: { pass_rate: number; results: number }[] };
      };
      assert.equal(finished.data.status, 'completed');
      assert.equal(finished.data.summary[0]?.results, 4);
      assert.equal(finished.data.summary[0]?.pass_rate, 0.5);
      assert.equal(new Set(stored.map((r) => r.seq)).size, stored.length, 'seq is unique');
    });

    it('rolls the state change back when its event cannot be written', async (t) => {
      if (database.skip(t)) return;
      const failing: RunOutbox = {
        append: () => Promise.reject(new Error('outbox unavailable')),
        committed: () => undefined,
      };
      const plain = new RunStore(database.handle.db);
      const runId = await newRun(plain);
      const store = new RunStore(database.handle.db, PLAINTEXT, failing);
      await assert.rejects(store.updateRun(runId, { status: 'running' }), /outbox unavailable/);
      assert.equal((await plain.getRunRow(runId))?.status, 'queued');
      await assert.rejects(store.insertResults([result(runId, 1)]), /outbox unavailable/);
      assert.equal((await plain.completedItemKeys(runId)).size, 0);
      await assert.rejects(newRun(store), /outbox unavailable/);
    });

    it('recovery marks an orphaned run interrupted with an event, through its lease', async (t) => {
      if (database.skip(t)) return;
      const db = database.handle.db;
      const store = new RunStore(db, PLAINTEXT, new EventOutbox(SOURCE));
      const runId = await newRun(store);
      await store.updateRun(runId, { status: 'running' });
      // Recovery interrupts runs whose lease is dead (here: none was ever taken).
      const leases = new RunLeases(db, newLeaseOwner(), 1000, store);
      const orphans = await leases.orphaned(true);
      const orphan = orphans.find((o) => o.id === runId);
      assert.ok(orphan !== undefined);
      assert.equal(await leases.interruptOrphan(orphan), true);
      const types = (await outboxRows(runId)).map((r) => r.type);
      assert.equal(types.at(-1), 'com.promptcards.run.interrupted');
    });

    it('the relay delivers in order, keeps rows while the sink fails, marks them sent and prunes them', async (t) => {
      if (database.skip(t)) return;
      const db = database.handle.db;
      const sink = new RecordingSink();
      const relay = new OutboxRelay(db, sink, NO_SINK_METRICS, silentLogger(), {
        batchSize: 3,
        pollIntervalMs: 10,
        retentionMs: 0,
        backoff: { baseDelayMs: 1, maxDelayMs: 5 },
      });
      // Earlier tests left rows; deliver them first so this test sees its own.
      while ((await relay.deliverBatch()) > 0);
      sink.events.length = 0;
      const store = new RunStore(db, PLAINTEXT, new EventOutbox(SOURCE));
      const runId = await newRun(store);
      await store.insertResults([0, 1, 2, 3, 4].map((n) => result(runId, n)));
      const expected = (await outboxRows(runId)).map((r) => r.id);
      assert.equal(expected.length, 6);

      sink.failure = new Error('broker down');
      await assert.rejects(relay.deliverBatch(), /broker down/);
      assert.equal(await relay.pending(), 6, 'nothing is marked sent when the sink fails');
      const failedAttempt = sink.attempts.at(-1)!.map((e) => e.id);

      sink.failure = undefined;
      while ((await relay.deliverBatch()) > 0);
      assert.deepEqual(
        sink.events.map((e) => e.id),
        expected,
      );
      assert.deepEqual(failedAttempt, expected.slice(0, 3), 'a retry re-sends the same ids');
      assert.equal(await relay.pending(), 0);
      assert.ok((await outboxRows(runId)).every((r) => r.sent_at !== null));
      assert.ok((await relay.prune()) >= 6);
      assert.equal((await outboxRows(runId)).length, 0);
    });

    it('the running relay delivers what commits while it runs and stops cleanly', async (t) => {
      if (database.skip(t)) return;
      const db = database.handle.db;
      const sink = new RecordingSink();
      const relay = new OutboxRelay(db, sink, NO_SINK_METRICS, silentLogger(), {
        batchSize: 50,
        pollIntervalMs: 5_000,
        retentionMs: 60_000,
        backoff: { baseDelayMs: 1, maxDelayMs: 5 },
      });
      relay.start();
      try {
        const store = new RunStore(db, PLAINTEXT, new EventOutbox(SOURCE, () => relay.wake()));
        const runId = await newRun(store);
        await store.updateRun(runId, { status: 'cancelled' });
        const deadline = Date.now() + 5_000;
        while (
          Date.now() < deadline &&
          !sink.events.some((e) => e.subject === runId && e.type.endsWith('cancelled'))
        )
          await new Promise((r) => setTimeout(r, 10));
        const types = sink.events.filter((e) => e.subject === runId).map((e) => e.type);
        assert.deepEqual(types, ['com.promptcards.run.created', 'com.promptcards.run.cancelled']);
      } finally {
        await relay.stop();
      }
    });
  });
}
