/**
 * The lease contract, run against every database (SQLite in test/integration, PostgreSQL in
 * test/system): a reader whose clock is ahead does not take or interrupt a live lease (the
 * database's clock decides), and a process with the same hostname and pid in another PID
 * namespace is not taken for dead. The skewed clock is injected by replacing `Date.now` in the
 * test process (what a replica started under libfaketime sees).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { before, describe, it } from 'node:test';
import { CardStore, cardInputSchema } from '../../src/cards/index.js';
import type { DatabaseHandle } from '../../src/db/index.js';
import { processNamespace } from '../../src/runs/lease-clock.js';
import { RunJobLeases } from '../../src/runs/run-job-leases.js';
import { isDeadLocalOwner, newLeaseOwner, RunLeases } from '../../src/runs/run-lease.js';
import { RunStore } from '../../src/runs/run-store.js';
import { RunExecutor } from '../../src/runs/run-executor.js';
import { RunEvents } from '../../src/runs/run-events.js';
import type { RunSemaphore } from '../../src/runs/run-semaphore.js';
import type { ModelClient } from '../../src/providers/index.js';
import { createLogger } from '../../src/telemetry/logging/index.js';
import { suiteDatabase } from './suite-database.js';

/** Runs `body` with this process's clock `skewMs` ahead. */
async function withClockAhead<T>(skewMs: number, body: () => Promise<T>): Promise<T> {
  const real = Date.now.bind(Date);
  Date.now = () => real() + skewMs;
  try {
    return await body();
  } finally {
    Date.now = real;
  }
}

/** A pid no process has (above the kernel's pid_max default of 4,194,304). */
const FREE_PID = 4_194_305;

export function defineLeaseSuite(
  label: string,
  open: () => Promise<DatabaseHandle | string>,
): void {
  describe(`run leases on ${label}`, () => {
    const database = suiteDatabase(open);
    let runs: RunStore;
    let cardId: string;
    before(async () => {
      if (!database.open) return;
      runs = new RunStore(database.handle.db);
      const card = await new CardStore(database.handle.db).createCard(
        cardInputSchema.parse({ title: 'Leases', prompt_template: 'x' }),
      );
      cardId = card.id;
    });

    async function runningRun(status: 'running' | 'cancelled' = 'running'): Promise<string> {
      const id = randomUUID();
      await runs.createRun({
        id,
        prompt_card_id: cardId,
        status,
        models: '["simulated:fast"]',
        test_case_ids: '[]',
        concurrency: 1,
        repeat: 1,
        total_items: 10,
        user_category: 'tester',
        created_at: new Date().toISOString(),
      });
      return id;
    }

    it('a replica whose clock is 45 s ahead neither interrupts nor takes a live run lease', async (t) => {
      if (database.skip(t)) return;
      const db = database.handle.db;
      const a = new RunLeases(db, newLeaseOwner(), 10_000, runs);
      const b = new RunLeases(db, newLeaseOwner(), 10_000, runs);
      const id = await runningRun();
      assert.ok(await a.acquire(id));
      await withClockAhead(45_000, async () => {
        assert.deepEqual(
          (await b.orphaned(true)).map((o) => o.id).filter((o) => o === id),
          [],
          'the live lease is not an orphan',
        );
        assert.equal(await b.acquire(id), undefined, 'the live lease is not taken');
        assert.equal(await b.isHeld(id), true);
      });
      assert.equal((await runs.getRunRow(id))?.status, 'running');
      assert.equal(await a.renew(id), true, 'A still holds its lease');
    });

    it('a worker whose clock is 45 s ahead does not take a live job lease', async (t) => {
      if (database.skip(t)) return;
      const db = database.handle.db;
      const a = new RunJobLeases(db, newLeaseOwner(), 10_000);
      const b = new RunJobLeases(db, newLeaseOwner(), 10_000);
      const id = await runningRun();
      assert.deepEqual(await a.acquire(id, 0), { acquired: true, takenOverFrom: undefined });
      const taken = await withClockAhead(45_000, () => b.acquire(id, 0));
      assert.deepEqual(taken, { acquired: false });
    });

    it('a second job of the same slice in the same process does not get the lease while the first holds it', async (t) => {
      if (database.skip(t)) return;
      // Two generations of one slice's job in one worker (the run enqueued again after Redis
      // lost its jobs, or a redelivery): the second used to get the lease (same owner) and call
      // the model for the same items at the same time.
      const leases = new RunJobLeases(database.handle.db, newLeaseOwner(), 10_000);
      const id = await runningRun();
      assert.deepEqual(await leases.acquire(id, 0), { acquired: true, takenOverFrom: undefined });
      assert.deepEqual(await leases.acquire(id, 0), { acquired: false }, 'held by the first job');
      await leases.release(id, 0);
      assert.deepEqual(await leases.acquire(id, 0), { acquired: true, takenOverFrom: undefined });
      // A lease of this owner that no job of this process holds (its release failed) is taken.
      const again = new RunJobLeases(database.handle.db, leases.owner, 10_000);
      assert.deepEqual(await again.acquire(id, 0), { acquired: true, takenOverFrom: undefined });
    });

    it('same hostname and pid in another PID namespace is not taken for a dead local process', async (t) => {
      if (database.skip(t)) return;
      const ours = processNamespace();
      if (ours === undefined) return t.skip('/proc does not name PID namespaces here');
      const elsewhere = `${hostname()}/${FREE_PID}/0badc0de/${ours.split('.')[0]}.1`;
      assert.equal(isDeadLocalOwner(elsewhere), false, 'another namespace: judged by expiry');
      const db = database.handle.db;
      const id = await runningRun();
      // The other container's process holds a live lease, with an expiry on the database's clock.
      const other = new RunLeases(db, elsewhere, 10_000, runs);
      assert.ok(await other.acquire(id));
      const b = new RunLeases(db, newLeaseOwner(), 10_000, runs);
      assert.equal(await b.isHeld(id), true);
      assert.deepEqual(
        (await b.orphaned(true)).filter((o) => o.id === id),
        [],
        'a live lease of another namespace is not an orphan',
      );
      // In our own namespace a pid that does not exist is dead at once.
      assert.equal(isDeadLocalOwner(`${hostname()}/${FREE_PID}/0badc0de/${ours}`), true);
    });

    it('a job of a deleted run ends without a retry (no foreign-key failure, no endless loop)', async (t) => {
      if (database.skip(t)) return;
      const executor = new RunExecutor({
        runs,
        slices: {
          leases: new RunJobLeases(database.handle.db, newLeaseOwner(), 10_000),
          // Never reached for a run that does not exist.
          semaphore: undefined as unknown as RunSemaphore,
        },
        events: new RunEvents(),
        logger: createLogger({ level: 'silent' }),
        heartbeatMs: 1000,
        cards: new CardStore(database.handle.db),
        models: undefined as unknown as ModelClient,
      });
      await executor.executeJob(randomUUID(), 0, 10);
      const ended = await runningRun('cancelled');
      await executor.executeJob(ended, 0, 10);
      assert.equal(executor.activeCount(), 0);
    });
  });
}
