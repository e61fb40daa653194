/**
 * The executor core's reads, run against every database (SQLite in test/integration, PostgreSQL
 * in test/system), under both lease strategies: an execution reads its run's row and its card
 * (with the pinned version) once — per run with the whole-run lease, per job with a job slice —
 * and never reads the run again after writing its status (the writes answer the row by
 * RETURNING). Counted by a query log on the database handle (query-log.ts), with the outbox on,
 * so the lifecycle events written in the status transactions are part of what is counted.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { CardStore, CardVersionStore } from '../../src/cards/index.js';
import { createWordCard } from './word-card.js';
import { PLAINTEXT, type Database, type DatabaseHandle } from '../../src/db/index.js';
import { ModelClient, SimulatedProvider } from '../../src/providers/index.js';
import { RunExecutor } from '../../src/runs/run-executor.js';
import { RunEvents, type RunEvent } from '../../src/runs/run-events.js';
import { RunJobLeases } from '../../src/runs/run-job-leases.js';
import { newLeaseOwner, RunLeases } from '../../src/runs/run-lease.js';
import { RunSemaphore } from '../../src/runs/run-semaphore.js';
import { RunStore } from '../../src/runs/run-store.js';
import { EventOutbox } from '../../src/sinks/index.js';
import { createLogger } from '../../src/telemetry/logging/index.js';
import { QueryLog } from './query-log.js';
import { REDIS_URL, requireRedis, throwawayRedisPrefix } from './redis.js';
import { suiteDatabase } from './suite-database.js';

const CASES = 2;
const MODELS = ['simulated:fast'];
/** Longer than any test here: no heartbeat (whose reads are periodic) runs during one. */
const HEARTBEAT_MS = 600_000;

export function defineExecutorContextSuite(
  label: string,
  open: () => Promise<DatabaseHandle | string>,
): void {
  describe(`the executor core on ${label}: a run's context is read once`, () => {
    const database = suiteDatabase(open);
    const log = new QueryLog();
    const prefix = throwawayRedisPrefix();
    let db: Kysely<Database>;
    let runs: RunStore;
    let cards: CardStore;
    let versions: CardVersionStore;
    let cardId: string;
    const models = new ModelClient(
      [new SimulatedProvider({ seed: 1, latencyMs: 1, latencyJitter: 0, failureRate: 0 })],
      {
        timeoutMs: 5000,
        maxRetries: 0,
        prices: {},
        embeddingModel: 'simulated:embed',
        graderModel: 'simulated:grader',
      },
    );

    before(async () => {
      if (!database.open) return;
      db = database.handle.db.withPlugin(log.plugin);
      runs = new RunStore(db, PLAINTEXT, new EventOutbox('/prompt-card-system/test'));
      cards = new CardStore(db);
      versions = new CardVersionStore(db);
      cardId = await createWordCard(cards, 'Context', CASES, [{ type: 'contains', value: 'w' }]);
    });

    async function queuedRun(): Promise<string> {
      const id = randomUUID();
      await runs.createRun({
        id,
        prompt_card_id: cardId,
        status: 'queued',
        models: JSON.stringify(MODELS),
        test_case_ids: JSON.stringify(await cards.testCaseIds(cardId)),
        concurrency: 2,
        repeat: 2,
        total_items: CASES * MODELS.length * 2,
        user_category: 'tester',
        created_at: new Date().toISOString(),
        prompt_version: (await versions.latest(cardId)) ?? null,
      });
      return id;
    }

    function executor(events: RunEvents, semaphore?: RunSemaphore): RunExecutor {
      const owner = newLeaseOwner();
      return new RunExecutor({
        runs,
        cards,
        versions,
        models,
        events,
        logger: createLogger({ level: 'silent' }),
        heartbeatMs: HEARTBEAT_MS,
        leases: new RunLeases(db, owner, 60_000, runs),
        ...(semaphore === undefined
          ? {}
          : { slices: { leases: new RunJobLeases(db, owner, 60_000), semaphore } }),
      });
    }

    /** One read of the run row, the card and its version; no read of the run after a status write. */
    function assertOneContextLoad(what: string): void {
      assert.equal(log.reads('runs'), 1, `${what}: reads of the run row`);
      assert.equal(log.reads('prompt_cards'), 1, `${what}: reads of the card`);
      assert.equal(log.reads('prompt_card_versions'), 1, `${what}: reads of the pinned version`);
      const written = log.firstUpdateSetting('runs', 'status');
      assert.ok(written >= 0, `${what}: a status write`);
      assert.equal(
        log.readsAfter('runs', written),
        0,
        `${what}: reads of the run after writing it`,
      );
    }

    function finishedEvents(events: RunEvents): RunEvent[] {
      const seen: RunEvent[] = [];
      events.subscribe((event) => seen.push(event));
      return seen;
    }

    it('whole-run lease: one load per run, and the announced run is the one written', async (t) => {
      if (database.skip(t)) return;
      const events = new RunEvents();
      const seen = finishedEvents(events);
      const runId = await queuedRun();
      log.clear();
      await executor(events).execute(runId);
      assertOneContextLoad('whole run');
      const started = seen.find((e) => e.type === 'run.started');
      const finished = seen.find((e) => e.type === 'run.finished');
      assert.equal(started?.type === 'run.started' && started.run.status, 'running');
      assert.ok(finished?.type === 'run.finished');
      assert.equal(finished.run.status, 'completed');
      assert.equal(finished.run.progress.completed, CASES * 2);
      assert.equal(seen.filter((e) => e.type === 'result').length, CASES * 2);
    });

    it('job slice lease: one load per job, and the job that completes the run announces it', async (t) => {
      if (database.skip(t)) return;
      const skip = await requireRedis();
      if (skip !== undefined) return t.skip(skip);
      const semaphore = new RunSemaphore(REDIS_URL, prefix, 60_000);
      try {
        const events = new RunEvents();
        const seen = finishedEvents(events);
        const jobs = executor(events, semaphore);
        const runId = await queuedRun();
        log.clear();
        await jobs.executeJob(runId, 0, CASES);
        assertOneContextLoad('first job');
        log.clear();
        await jobs.executeJob(runId, CASES, CASES * 2);
        assert.equal(log.reads('runs'), 1, 'second job: reads of the run row');
        assert.equal(log.reads('prompt_cards'), 1, 'second job: reads of the card');
        assert.equal(log.reads('prompt_card_versions'), 1, 'second job: reads of the version');
        const written = log.firstUpdateSetting('runs', 'status');
        assert.equal(log.readsAfter('runs', written), 0, 'second job: reads after writing');
        const finished = seen.find((e) => e.type === 'run.finished');
        assert.ok(finished?.type === 'run.finished');
        assert.equal(finished.run.status, 'completed');
        assert.equal(finished.run.progress.completed, CASES * 2);
        assert.equal(seen.filter((e) => e.type === 'run.started').length, 1);
      } finally {
        await semaphore.close();
      }
    });
  });
}
