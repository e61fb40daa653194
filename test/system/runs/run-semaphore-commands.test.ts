/**
 * The run semaphore's cost in Redis commands: one run of 200 items at concurrency 8 executed as
 * four concurrent job slices by two executors (two "processes", each with its own semaphore),
 * on SQLite and a Redis server of the test's own, whose MONITOR sees only this test's commands. A waiting call must not poll, and a slot released while its process keeps calling is
 * reused without a command: at most one command per item, where polling spent dozens and an
 * acquire and a release per item two. Also: the run's bound
 * holds (never more than 8 model calls at once across both processes), and a crashed holder's
 * slot expires and goes to a waiting call. Needs redis-server
 * (fails under REQUIRE_SYSTEM=1 without it).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { CardStore, CardVersionStore } from '../../../src/cards/index.js';
import { createWordCard } from '../../support/word-card.js';
import {
  connectDatabase,
  migrateToLatest,
  PLAINTEXT,
  type DatabaseHandle,
} from '../../../src/db/index.js';
import {
  ModelClient,
  SimulatedProvider,
  type ChatRequest,
  type ChatResponse,
  type Provider,
} from '../../../src/providers/index.js';
import { RunExecutor } from '../../../src/runs/run-executor.js';
import { RunEvents } from '../../../src/runs/run-events.js';
import { RunJobLeases } from '../../../src/runs/run-job-leases.js';
import { newLeaseOwner, RunLeases } from '../../../src/runs/run-lease.js';
import { RunSemaphore } from '../../../src/runs/run-semaphore.js';
import { RunStore } from '../../../src/runs/run-store.js';
import { createLogger } from '../../../src/telemetry/logging/index.js';
import { startOwnRedis, type OwnRedis } from '../../support/own-redis.js';
import { tempDir } from '../../support/temp-dir.js';

const CASES = 50;
const REPEAT = 4;
const ITEMS = CASES * REPEAT;
const CONCURRENCY = 8;
const JOB_ITEMS = ITEMS / 4;
/**
 * At most this many Redis commands per item. A process's next call takes the slot its last call
 * released (no command), so commands go with jobs starting and ending and wake-ups, not with
 * items: 0.2 per item here, where an acquire and a release per item made 2.1 (425 for 200).
 */
const MAX_COMMANDS_PER_ITEM = 1;

/**
 * Counts the commands clients send to the server at `url` (MONITOR, leaving out the commands a
 * script runs inside Redis, whose source is `lua`): what a caller pays in round trips.
 */
async function countCommands(url: string): Promise<{ count: () => number; stop: () => void }> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  const monitor = await client.monitor();
  let count = 0;
  monitor.on('monitor', (_time: string, _args: string[], source: string) => {
    if (source !== 'lua') count++;
  });
  return {
    count: () => count,
    stop: () => {
      monitor.disconnect();
      client.disconnect();
    },
  };
}

/** The simulated model, counting the calls in flight (the bound the semaphore keeps). */
class CountingProvider implements Provider {
  readonly name: string;
  readonly simulated = true;
  inFlight = 0;
  maxInFlight = 0;
  constructor(private readonly inner: SimulatedProvider) {
    this.name = inner.name;
  }
  listModels(): Promise<string[]> {
    return this.inner.listModels();
  }
  async chat(request: ChatRequest, signal: AbortSignal): Promise<ChatResponse> {
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    try {
      return await this.inner.chat(request, signal);
    } finally {
      this.inFlight--;
    }
  }
}

describe('the run semaphore in Redis commands per item', async () => {
  const own = await startOwnRedis();
  const dir = tempDir();
  let redis: OwnRedis;
  let database: DatabaseHandle;
  let runs: RunStore;
  let cards: CardStore;
  let versions: CardVersionStore;
  let cardId: string;
  const provider = new CountingProvider(
    new SimulatedProvider({ seed: 1, latencyMs: 40, latencyJitter: 0, failureRate: 0 }),
  );
  const models = new ModelClient([provider], {
    timeoutMs: 10_000,
    maxRetries: 0,
    prices: {},
    embeddingModel: 'simulated:embed',
    graderModel: 'simulated:grader',
  });

  before(async () => {
    if (typeof own === 'string') return;
    redis = own;
    database = await connectDatabase(`sqlite:${join(dir.path, 'semaphore.db')}`);
    await migrateToLatest(database.db);
    runs = new RunStore(database.db, PLAINTEXT);
    cards = new CardStore(database.db);
    versions = new CardVersionStore(database.db);
    cardId = await createWordCard(cards, 'Semaphore', CASES, []);
  });

  after(async () => {
    if (typeof own === 'string') return;
    await database.close();
    await redis.dispose();
    dir.remove();
  });

  function executor(semaphore: RunSemaphore): RunExecutor {
    const owner = newLeaseOwner();
    return new RunExecutor({
      runs,
      cards,
      versions,
      models,
      events: new RunEvents(),
      logger: createLogger({ level: 'silent' }),
      heartbeatMs: 500,
      leases: new RunLeases(database.db, owner, 60_000, runs),
      slices: { leases: new RunJobLeases(database.db, owner, 60_000), semaphore },
    });
  }

  it('four concurrent jobs of one run spend a few commands per item, within the bound', async (t) => {
    if (typeof own === 'string') return t.skip(own);
    const runId = randomUUID();
    await runs.createRun({
      id: runId,
      prompt_card_id: cardId,
      status: 'queued',
      models: JSON.stringify(['simulated:fast']),
      test_case_ids: JSON.stringify(await cards.testCaseIds(cardId)),
      concurrency: CONCURRENCY,
      repeat: REPEAT,
      total_items: ITEMS,
      user_category: 'tester',
      created_at: new Date().toISOString(),
      prompt_version: (await versions.latest(cardId)) ?? null,
    });
    const semaphores = [0, 1].map(() => new RunSemaphore(redis.url, 'sem', 60_000));
    const executors = semaphores.map(executor);
    try {
      const monitor = await countCommands(redis.url);
      await Promise.all(
        [0, 1, 2, 3].map((job) =>
          executors[job % 2]?.executeJob(runId, job * JOB_ITEMS, (job + 1) * JOB_ITEMS),
        ),
      );
      const commands = monitor.count();
      monitor.stop();
      const stored = await database.db
        .selectFrom('run_results')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('run_id', '=', runId)
        .executeTakeFirstOrThrow();
      assert.equal(Number(stored.n), ITEMS, 'one stored result per item');
      assert.equal((await runs.getRunRow(runId))?.status, 'completed');
      assert.ok(
        provider.maxInFlight <= CONCURRENCY,
        `${provider.maxInFlight} calls at once; the run allows ${CONCURRENCY}`,
      );
      const perItem = commands / ITEMS;
      t.diagnostic(
        `${commands} commands for ${ITEMS} items, ${provider.maxInFlight} calls at once`,
      );
      assert.ok(
        perItem <= MAX_COMMANDS_PER_ITEM,
        `${commands} Redis commands for ${ITEMS} items (${perItem.toFixed(1)} per item)`,
      );
    } finally {
      await Promise.all(semaphores.map((s) => s.close()));
    }
  });

  it("a crashed holder's slot expires and a waiting call takes it; an aborted wait rejects", async (t) => {
    if (typeof own === 'string') return t.skip(own);
    const crashed = new RunSemaphore(redis.url, 'crash', 600);
    const alive = new RunSemaphore(redis.url, 'crash', 600);
    try {
      await crashed.join('run').acquire(1, new AbortController().signal);
      // The holder's process ends without releasing (no renewals either).
      await crashed.close();
      const aborted = new AbortController();
      const waiting = alive.join('run').acquire(1, aborted.signal);
      aborted.abort(new Error('cancelled'));
      await assert.rejects(waiting, /cancelled/);
      const release = await alive.join('run').acquire(1, new AbortController().signal);
      release();
    } finally {
      await alive.close();
    }
  });
});
