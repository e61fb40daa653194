/**
 * What the run store sends PostgreSQL for a batch of results and for a run read, counted at the
 * driver (Kysely's query log sees every statement, BEGIN and COMMIT included): a batch and the
 * growth of its kept totals are one statement, also when some items already had a result (a
 * resume), the run read is one statement, and a job's heartbeat renews its lease and reads the
 * run's status in one; the totals stay equal to the recomputation.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { CardStore, cardInputSchema } from '../../../src/cards/index.js';
import { migrateToLatest, type Database, type RunResultTable } from '../../../src/db/index.js';
import { summarize, type ModelSummary, type Run } from '../../../src/runs/index.js';
import { RunJobLeases } from '../../../src/runs/run-job-leases.js';
import { RunStore } from '../../../src/runs/run-store.js';
import { throwawaySchema, requirePostgres } from '../../support/postgres-schema.js';
import { POSTGRES_URL } from '../../support/system.js';

const MODELS = ['openai:alpha', 'simulated:fast'];

function close(actual: number | null, expected: number | null, what: string): void {
  if (actual === null || expected === null) return assert.equal(actual, expected, what);
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), what);
}

describe('PostgreSQL statements of the run store', () => {
  const schema = throwawaySchema();
  const statements: string[] = [];
  let db: Kysely<Database>;
  let store: RunStore;
  let cardId: string;

  before(async () => {
    const skip = await requirePostgres();
    assert.equal(skip, undefined, skip);
    const setup = new pg.Client({ connectionString: POSTGRES_URL });
    await setup.connect();
    await setup.query(`create schema if not exists ${schema}`);
    await setup.end();
    const pool = new pg.Pool({
      connectionString: POSTGRES_URL,
      options: `-c search_path=${schema}`,
    });
    db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      log: (event) => {
        statements.push(event.query.sql.trim().split(/\s+/)[0]?.toLowerCase() ?? '');
      },
    });
    await migrateToLatest(db, schema);
    store = new RunStore(db);
    cardId = (
      await new CardStore(db).createCard(
        cardInputSchema.parse({ title: 'T', prompt_template: 'x' }),
      )
    ).id;
  });
  after(() => db.destroy());

  async function newRun(models: readonly string[] = MODELS): Promise<string> {
    const id = randomUUID();
    await store.createRun({
      id,
      prompt_card_id: cardId,
      status: 'running',
      models: JSON.stringify(models),
      test_case_ids: '[]',
      concurrency: 4,
      repeat: 1,
      total_items: 100,
      user_category: 'tester',
      created_at: new Date().toISOString(),
    });
    return id;
  }

  /** Results of both models, with errors, missing token counts and costs, one not judged. */
  function results(
    runId: string,
    count: number,
    from = 0,
    models: readonly string[] = MODELS,
  ): RunResultTable[] {
    return Array.from({ length: count }, (_, k) => {
      const i = from + k;
      const error = i % 5 === 3 ? (i % 2 === 0 ? 'timeout' : 'rate_limited') : null;
      const model = models[i % models.length] ?? '';
      return {
        id: randomUUID(),
        run_id: runId,
        test_case_id: `case-${i}`,
        model,
        repetition: 1,
        rendered_prompt: 'p',
        output: error === null ? 'o' : null,
        latency_ms: 3 + i * 7.3,
        input_tokens: error === null && i % 4 !== 0 ? i : null,
        output_tokens: error === null ? 2 * i : null,
        cost_usd: error === null && i % 3 !== 0 ? i / 1000 : null,
        assertion_results: i % 7 === 1 ? '[]' : '[{"type":"contains","pass":true,"score":1}]',
        score: error === null ? (i % 4) / 4 : 0,
        passed: error === null && i % 4 === 3 ? 1 : 0,
        judged: i % 7 === 1 && error === null ? 0 : 1,
        error_type: error,
        error_message: error,
        simulated: model.startsWith('simulated') ? 1 : 0,
        attempts: 1,
        cached: 0,
        created_at: new Date().toISOString(),
      };
    });
  }

  async function assertTotalsRecomputed(
    runId: string,
    rows: readonly RunResultTable[],
    models: readonly string[] = MODELS,
  ): Promise<void> {
    const run: Run | undefined = await store.getRun(runId);
    assert.ok(run !== undefined);
    const want = summarize(
      models,
      rows.map((r) => ({ ...r, passed: r.passed === 1, simulated: r.simulated === 1 })),
    );
    for (const [i, w] of want.entries()) {
      const g: ModelSummary | undefined = run.summary[i];
      assert.ok(g !== undefined);
      const { mean_score, cost_usd, answered_latency_ms_total, ...exact } = w;
      const { mean_score: s, cost_usd: c, answered_latency_ms_total: l, ...gotExact } = g;
      assert.deepEqual(gotExact, exact, w.model);
      close(s, mean_score, 'mean score');
      close(c, cost_usd, 'cost');
      close(l, answered_latency_ms_total, 'latency total');
    }
    assert.equal(run.progress.completed, rows.length);
  }

  it('stores a batch and adds it to the kept totals in one statement', async () => {
    const runId = await newRun();
    const rows = results(runId, 40);
    statements.length = 0;
    const ids = await store.insertResults(rows);
    assert.deepEqual(statements, ['with'], 'one statement, no BEGIN or COMMIT');
    assert.equal(ids.size, rows.length);
    await assertTotalsRecomputed(runId, rows);
  });

  it('adds only the items without a result when a batch repeats some (one statement)', async () => {
    const runId = await newRun();
    const first = results(runId, 20);
    await store.insertResults(first);
    // The same items again under new ids (a resumed run), and 15 new ones.
    const again = results(runId, 10).map((r) => ({ ...r, id: randomUUID() }));
    const fresh = results(runId, 15, 20);
    statements.length = 0;
    const ids = await store.insertResults([...again, ...fresh]);
    assert.deepEqual(statements, ['with']);
    assert.deepEqual([...ids].sort(), fresh.map((r) => r.id).sort());
    await assertTotalsRecomputed(runId, [...first, ...fresh]);
    assert.equal(await store.repairTotals(runId), true);
    await assertTotalsRecomputed(runId, [...first, ...fresh]);
  });

  it('keeps the totals of models with quotes, array-literal characters, unicode and 200-char names', async () => {
    const odd = [
      `openai:o'brien "quoted" \\ back`,
      'simulated:{a,b} NULL',
      'NULL',
      'openai:模型-é-😀',
      `openai:${'x'.repeat(193)}`,
    ];
    const runId = await newRun(odd);
    const rows = results(runId, 40, 0, odd);
    await store.insertResults(rows);
    const again = results(runId, 10, 0, odd).map((r) => ({ ...r, id: randomUUID() }));
    const fresh = results(runId, 10, 40, odd);
    const ids = await store.insertResults([...again, ...fresh]);
    assert.equal(ids.size, fresh.length);
    // One item twice in one batch (two workers' results met in a group commit): stored once.
    const [dup] = results(runId, 1, 50, odd);
    assert.ok(dup !== undefined);
    const twice = await store.insertResults([dup, { ...dup, id: randomUUID(), score: 1 }]);
    assert.deepEqual([...twice], [dup.id]);
    fresh.push(dup);
    await assertTotalsRecomputed(runId, [...rows, ...fresh], odd);
    const kept = await store.tallies(runId);
    assert.deepEqual([...kept.keys()].sort(), [...odd].sort());
    assert.equal(await store.repairTotals(runId), true);
    await assertTotalsRecomputed(runId, [...rows, ...fresh], odd);
  });

  it('reads a run with its kept totals in one statement', async () => {
    const runId = await newRun();
    await store.insertResults(results(runId, 30));
    statements.length = 0;
    const run = await store.getRun(runId);
    assert.deepEqual(statements, ['select']);
    assert.equal(run?.id, runId);
    statements.length = 0;
    assert.equal(await store.getRun(randomUUID()), undefined);
    assert.deepEqual(statements, ['select']);
  });

  it('renews a job lease and reads the run status in one statement after the clock', async () => {
    const runId = await newRun();
    const leases = new RunJobLeases(db, 'owner-a', 60_000);
    const other = new RunJobLeases(db, 'owner-b', 60_000);
    assert.deepEqual(await leases.acquire(runId, 0), { acquired: true, takenOverFrom: undefined });
    statements.length = 0;
    assert.deepEqual(await leases.renewAndRead(runId, 0), { status: 'running' });
    assert.deepEqual(statements, ['select', 'update'], 'the database clock, then one update');
    await store.updateRun(runId, { status: 'cancelled' });
    assert.deepEqual(await leases.renewAndRead(runId, 0), { status: 'cancelled' });
    assert.equal(await other.renewAndRead(runId, 0), undefined, 'not the owner');
    assert.equal(await other.renew(runId, 0), false);
    assert.equal(await leases.renew(runId, 0), true);
  });
});
