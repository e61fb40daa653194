/**
 * Kept run totals against the full recomputation, run against every database (SQLite in
 * test/integration, PostgreSQL in test/system). Real runs of the simulated provider through the
 * run commands and executor (create, cancel, resume), with errors and repeats; after each, the
 * summary kept as results arrived must equal `summarize` over the stored rows, and the repair
 * (`repairTotals`) must find nothing to change. Sums are compared to rounding (the database adds
 * batch sums, the recomputation adds rows); everything else exactly.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { CardStore, CardVersionStore } from '../../src/cards/index.js';
import { createWordCard } from './word-card.js';
import type { Database, DatabaseHandle } from '../../src/db/index.js';
import { ModelClient, SimulatedProvider } from '../../src/providers/index.js';
import { summarize, type ModelSummary, type Run } from '../../src/runs/index.js';
import type { RunResult } from '../../src/runs/run-schema.js';
import { RunCommands } from '../../src/runs/run-commands.js';
import { RunEvents } from '../../src/runs/run-events.js';
import { RunExecutor } from '../../src/runs/run-executor.js';
import { newLeaseOwner, RunLeases } from '../../src/runs/run-lease.js';
import { InProcessRunQueue } from '../../src/runs/run-queue.js';
import { RunStore, type RunRow } from '../../src/runs/run-store.js';
import { gradeComparisons } from '../../src/runs/grade-comparisons.js';
import type { ModelTally } from '../../src/runs/run-summary.js';
import { createLogger } from '../../src/telemetry/logging/index.js';
import { suiteDatabase } from './suite-database.js';

const MODELS = ['simulated:fast', 'simulated:flaky'];
const CASES = 4;

function close(actual: number | null, expected: number | null, what: string): void {
  if (actual === null || expected === null) return assert.equal(actual, expected, what);
  assert.ok(
    Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs ${expected}`,
  );
}

function assertSummariesEqual(got: readonly ModelSummary[], want: readonly ModelSummary[]): void {
  assert.equal(got.length, want.length);
  for (const [i, w] of want.entries()) {
    const g = got[i];
    assert.ok(g !== undefined);
    const { mean_score, cost_usd, answered_latency_ms_total, ...exact } = w;
    const {
      mean_score: gotScore,
      cost_usd: gotCost,
      answered_latency_ms_total: gotLatency,
      ...gotExact
    } = g;
    assert.deepEqual(gotExact, exact, w.model);
    close(gotScore, mean_score, `${w.model} mean score`);
    close(gotCost, cost_usd, `${w.model} cost`);
    close(gotLatency, answered_latency_ms_total, `${w.model} latency total`);
  }
}

function assertTalliesEqual(got: Map<string, ModelTally>, want: Map<string, ModelTally>): void {
  assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort());
  for (const [model, w] of want) {
    const g = got.get(model) as ModelTally;
    const { scoreSum, costSum, answeredLatencyTotal, ...exact } = w;
    const { scoreSum: s, costSum: c, answeredLatencyTotal: l, ...gotExact } = g;
    assert.deepEqual(gotExact, exact, model);
    close(s, scoreSum, `${model} score sum`);
    close(c, costSum, `${model} cost sum`);
    close(l, answeredLatencyTotal, `${model} latency sum`);
  }
}

export function defineRunTotalsSuite(
  label: string,
  open: () => Promise<DatabaseHandle | string>,
): void {
  describe(`kept run totals on ${label}`, () => {
    const database = suiteDatabase(open);
    let db: Kysely<Database>;
    let runs: RunStore;
    let cards: CardStore;
    let executor: RunExecutor;
    let commands: RunCommands;
    let cardId: string;
    let models: ModelClient;

    before(async () => {
      if (!database.open) return;
      db = database.handle.db;
      runs = new RunStore(db);
      cards = new CardStore(db);
      const versions = new CardVersionStore(db);
      models = new ModelClient(
        // Flaky fails 10× as often: 40 % of its calls end in an error result (no retries).
        [new SimulatedProvider({ seed: 9, latencyMs: 40, latencyJitter: 0.5, failureRate: 0.04 })],
        {
          timeoutMs: 5000,
          maxRetries: 0,
          prices: { 'simulated:fast': { input: 1, output: 2 } },
          embeddingModel: 'simulated:embed',
          graderModel: 'simulated:grader',
        },
      );
      const owner = newLeaseOwner();
      const events = new RunEvents();
      const logger = createLogger({ level: 'silent' });
      const leases = new RunLeases(db, owner, 60_000, runs);
      executor = new RunExecutor({
        runs,
        cards,
        versions,
        models,
        events,
        logger,
        heartbeatMs: 600_000,
        leases,
      });
      commands = new RunCommands({
        versions,
        runs,
        leases,
        cards,
        models,
        queue: new InProcessRunQueue(executor),
        events,
        logger,
        executor,
        cancelWaitMs: 10_000,
        cacheDefault: false,
        isShuttingDown: () => false,
      });
      // A check that passes for one case and fails for the others.
      cardId = await createWordCard(cards, 'Totals', CASES, [{ type: 'contains', value: 'w1' }]);
    });

    /** The kept summary and tallies equal the recomputed ones, and a repair changes nothing. */
    async function assertKeptEqualsRecomputed(runId: string): Promise<Run> {
      const run = (await runs.getRun(runId)) as Run;
      const rows = [];
      for await (const r of runs.iterateResults(runId, { limit: 1_000_000 }))
        rows.push({ ...r, error_type: r.error?.type ?? null, judged: r.judged ? 1 : 0 });
      assert.equal(run.progress.completed, rows.length, 'results counted');
      assertSummariesEqual(run.summary, summarize(run.models, rows));
      const kept = await runs.tallies(runId);
      assert.ok(await runs.repairTotals(runId));
      assertTalliesEqual(kept, await runs.tallies(runId));
      return run;
    }

    it('says a run of simulated models is simulated before its first result', async (t) => {
      if (database.skip(t)) return;
      const run = await commands.create(
        cardId,
        { models: MODELS, concurrency: 1, repeat: 1 },
        'tester',
      );
      assert.equal(run.progress.completed, 0, 'created before any result (40 ms model)');
      assert.deepEqual(
        run.summary.map((s) => [s.model, s.simulated]),
        MODELS.map((m) => [m, true]),
      );
      await executor.settled(run.id);
    });

    it('keeps totals equal to the recomputation after a run with errors and repeats', async (t) => {
      if (database.skip(t)) return;
      const created = await commands.create(
        cardId,
        { models: MODELS, concurrency: 3, repeat: 3 },
        'tester',
      );
      await executor.settled(created.id);
      const run = await assertKeptEqualsRecomputed(created.id);
      assert.equal(run.status, 'completed');
      assert.equal(run.progress.completed, CASES * MODELS.length * 3);
      assert.ok(run.progress.errored > 0, 'some items failed');
      assert.ok(run.progress.passed > 0 && run.progress.failed > 0, JSON.stringify(run.progress));
    });

    it('keeps totals exact across a cancel, a resume and a result written twice', async (t) => {
      if (database.skip(t)) return;
      const created = await commands.create(
        cardId,
        { models: MODELS, concurrency: 2, repeat: 3 },
        'tester',
      );
      let seen = 0;
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          void runs.countResults({ id: created.id, totals_kept: 1 }).then((n) => {
            seen = n;
            if (n >= 5) {
              clearInterval(timer);
              resolve();
            }
          });
        }, 5);
      });
      const cancelled = await commands.cancel(created.id);
      assert.equal(cancelled.status, 'cancelled');
      assert.ok(seen < CASES * MODELS.length * 3, 'cancelled part way');
      await assertKeptEqualsRecomputed(created.id);

      await commands.resume(created.id);
      await executor.settled(created.id);
      const run = await assertKeptEqualsRecomputed(created.id);
      assert.equal(run.status, 'completed');
      assert.equal(run.progress.completed, CASES * MODELS.length * 3);

      // An item whose result is already stored (a resumed item racing its first execution)
      // writes nothing and adds nothing.
      const [first] = await runs.resultsAfter(created.id, undefined, 1);
      assert.ok(first !== undefined);
      const written = await runs.recordResults([{ ...first, id: randomUUID(), score: 99 }]);
      assert.equal(written.size, 0);
      assertSummariesEqual(((await runs.getRun(created.id)) as Run).summary, run.summary);
    });

    it('grades max-score and select-best once every output of a row exists, after a cancel and resume, once', async (t) => {
      if (database.skip(t)) return;
      const comparedCard = await createWordCard(cards, 'Compared', CASES, [
        { type: 'contains', value: 'w1' },
        { type: 'max-score' },
        { type: 'select-best', value: 'which answer says the word clearly' },
      ]);
      const created = await commands.create(
        comparedCard,
        { models: MODELS, concurrency: 2, repeat: 2 },
        'tester',
      );
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          void runs.countResults({ id: created.id, totals_kept: 1 }).then((n) => {
            if (n >= 3) {
              clearInterval(timer);
              resolve();
            }
          });
        }, 5);
      });
      await commands.cancel(created.id);
      // A cancelled run is not graded: its rows may lack outputs.
      for (const r of await runs.allResults(created.id))
        assert.ok(!r.assertions.some((a) => a.type === 'max-score' || a.type === 'select-best'));
      await commands.resume(created.id);
      await executor.settled(created.id);
      const run = await assertKeptEqualsRecomputed(created.id);
      assert.equal(run.status, 'completed');
      const rows = new Map<string, RunResult[]>();
      for (const r of await runs.allResults(created.id)) {
        const key = `${r.test_case_id}/${r.repetition}`;
        rows.set(key, [...(rows.get(key) ?? []), r]);
      }
      assert.equal(rows.size, CASES * 2);
      let compared = 0;
      for (const row of rows.values()) {
        const answered = MODELS.flatMap((m) =>
          row.filter((r) => r.model === m && r.error === null),
        );
        const verdict = (r: RunResult, type: string) => r.assertions.find((a) => a.type === type);
        if (answered.length < 2) {
          for (const r of answered) {
            assert.match(verdict(r, 'max-score')?.reason ?? '', /at least two outputs/);
            assert.equal(r.passed, false);
          }
          continue;
        }
        compared++;
        // promptfoo's max-score: the higher score of the other checks wins, the first on a tie.
        const own = answered.map((r) => verdict(r, 'contains')?.score ?? -1);
        const winner = (own[1] ?? 0) > (own[0] ?? 0) ? 1 : 0;
        assert.deepEqual(
          answered.map((r) => verdict(r, 'max-score')?.pass),
          answered.map((_, i) => i === winner),
        );
        assert.equal(answered.filter((r) => verdict(r, 'select-best')?.pass === true).length, 1);
        for (const r of answered) {
          const all = r.assertions.every((a) => a.pass);
          assert.equal(r.passed, all, 'a result passes only when the comparisons pass too');
          if (!all) assert.equal(r.score, 0, "a failed comparison sets the result's score");
        }
      }
      assert.ok(compared > 0, 'some rows had both outputs');
      // Graded once: a second pass (a resumed or second worker) writes nothing.
      const row = (await runs.getRunRow(created.id)) as RunRow;
      assert.equal(
        await gradeComparisons({ runs, cards, models }, row, new AbortController().signal),
        0,
      );
    });

    it('recomputes the totals of a run made before they were kept, on its first read', async (t) => {
      if (database.skip(t)) return;
      const created = await commands.create(
        cardId,
        { models: MODELS, concurrency: 3, repeat: 1 },
        'tester',
      );
      await executor.settled(created.id);
      const before = (await runs.getRun(created.id)) as Run;
      // What the migration leaves for an older run: no totals, marked not kept.
      for (const table of ['run_latency_buckets', 'run_error_counts', 'run_model_totals'] as const)
        await db.deleteFrom(table).where('run_id', '=', created.id).execute();
      await db.updateTable('runs').set({ totals_kept: 0 }).where('id', '=', created.id).execute();
      assert.deepEqual(await runs.runIdsForRepair(false), [created.id]);
      // A results page's total comes from the kept totals: recomputed, not 0.
      const page = await runs.listResults(created.id, { limit: 1 });
      assert.equal(page.total, CASES * MODELS.length);
      const after = await assertKeptEqualsRecomputed(created.id);
      assertSummariesEqual(after.summary, before.summary);
      assert.deepEqual(await runs.runIdsForRepair(false), []);
    });
  });
}
