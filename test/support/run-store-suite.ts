/**
 * The run store contract, run against every database: SQLite in test/integration and
 * PostgreSQL in test/system. Each call of `open` must give an empty, migrated database.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import type { KyselyPlugin, QueryId } from 'kysely';
import { CardStore, cardInputSchema, testCaseInputSchema } from '../../src/cards/index.js';
import { FieldCipher, type DatabaseHandle, type RunResultTable } from '../../src/db/index.js';
import { summarize } from '../../src/runs/index.js';
import type { ModelSummary } from '../../src/runs/run-schema.js';
import { RESULT_CHUNK_BYTES } from '../../src/runs/result-pages.js';
import { RunStore } from '../../src/runs/run-store.js';
import { suiteDatabase } from './suite-database.js';

/** A deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function close(actual: number | null, expected: number | null, what: string): void {
  if (actual === null || expected === null) return assert.equal(actual, expected, what);
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), what);
}

export function defineRunStoreSuite(
  label: string,
  open: () => Promise<DatabaseHandle | string>,
): void {
  describe(`RunStore on ${label}`, () => {
    const database = suiteDatabase(open);
    let store: RunStore;
    let cards: CardStore;
    before(() => {
      if (!database.open) return;
      store = new RunStore(database.handle.db);
      cards = new CardStore(database.handle.db);
    });

    it('summarises a stored run in the database exactly as the rows summarise in memory', async (t) => {
      if (database.skip(t)) return;
      const card = await cards.createCard(
        cardInputSchema.parse({ title: 'T', prompt_template: 'x' }),
      );
      await cards.createTestCase(card.id, testCaseInputSchema.parse({ name: 'tc' }));
      const models = ['openai:alpha', 'simulated:fast', 'ollama:idle'];
      const runId = randomUUID();
      await store.createRun({
        id: runId,
        prompt_card_id: card.id,
        status: 'running',
        models: JSON.stringify(models),
        test_case_ids: '[]',
        concurrency: 4,
        repeat: 1,
        total_items: 400,
        user_category: 'tester',
        created_at: new Date().toISOString(),
      });
      const next = random(7);
      const rows: RunResultTable[] = [];
      // Two models with results (one simulated, one priced only sometimes), one without any.
      for (let i = 0; i < 301; i++) {
        const model = models[i % 2];
        const error = next() < 0.15 ? (next() < 0.5 ? 'timeout' : 'rate_limited') : null;
        const score = error === null ? Math.round(next() * 4) / 4 : 0;
        rows.push({
          id: randomUUID(),
          run_id: runId,
          test_case_id: randomUUID(),
          model,
          repetition: 1,
          rendered_prompt: 'p',
          output: error === null ? 'o' : null,
          latency_ms: 5 + next() * 500,
          // Some answers come without token counts (a provider that does not report them).
          input_tokens: error === null && next() < 0.9 ? Math.floor(next() * 100) : null,
          output_tokens: error === null && next() < 0.9 ? Math.floor(next() * 50) : null,
          cost_usd: error === null && next() < 0.8 ? next() / 1000 : null,
          // Some answers had nothing to judge them (no assertions, no expected output).
          ...(error === null && next() < 0.1
            ? { assertion_results: '[]', score: 0, passed: 0, judged: 0 }
            : {
                assertion_results: '[{"type":"contains","pass":true,"score":1,"weight":1}]',
                judged: 1,
                score,
                passed: score === 1 ? 1 : 0,
              }),
          error_type: error,
          error_message: error,
          simulated: model.startsWith('simulated') ? 1 : 0,
          attempts: 1,
          cached: 0,
          created_at: new Date().toISOString(),
        });
      }
      for (let i = 0; i < rows.length; i += 100) await store.insertResults(rows.slice(i, i + 100));

      const run = await store.getRun(runId);
      const expected = summarize(
        models,
        rows.map((r) => ({ ...r, passed: r.passed === 1, simulated: r.simulated === 1 })),
      );
      assert.equal(run?.progress.completed, 301);
      assert.equal(run?.progress.remaining, 99);
      assert.equal(run?.progress.errored, rows.filter((r) => r.error_type !== null).length);
      for (const [index, want] of expected.entries()) {
        const got: ModelSummary = run.summary[index];
        const { latency_ms, mean_score, cost_usd, answered_latency_ms_total, ...exact } = want;
        const {
          latency_ms: gotLatency,
          mean_score: gotScore,
          cost_usd: gotCost,
          answered_latency_ms_total: gotTotal,
          ...gotExact
        } = got;
        assert.deepEqual(gotExact, exact, want.model);
        // Sums may be added in another order by the database: equal to rounding.
        close(gotLatency.p50, latency_ms.p50, `${want.model} p50`);
        close(gotLatency.p95, latency_ms.p95, `${want.model} p95`);
        close(gotScore, mean_score, `${want.model} mean score`);
        close(gotCost, cost_usd, `${want.model} cost`);
        close(gotTotal, answered_latency_ms_total, `${want.model} latency total`);
      }
      assert.equal(run.summary[2].results, 0);
      assert.equal(run.summary[2].latency_ms.p50, null);
      assert.ok(run.summary[0].cost_complete === false && run.summary[0].cost_usd !== null);
      assert.ok(run.summary[0].tokens_complete === false && run.summary[0].tokens.input !== null);
      assert.deepEqual(run.summary[2].tokens, { input: null, output: null });
      assert.ok(run.summary[0].not_judged > 0 && run.summary[1].not_judged > 0);
      assert.equal(run.progress.not_judged, run.summary[0].not_judged + run.summary[1].not_judged);
    });

    it('stores model text with U+0000 or unpaired surrogates the same way on every database', async (t) => {
      if (database.skip(t)) return;
      const card = await cards.createCard(
        cardInputSchema.parse({ title: 'T', prompt_template: 'x' }),
      );
      const runId = randomUUID();
      await store.createRun({
        id: runId,
        prompt_card_id: card.id,
        status: 'running',
        models: '["simulated:fast"]',
        test_case_ids: '[]',
        concurrency: 1,
        repeat: 1,
        total_items: 1,
        user_category: 'tester',
        created_at: new Date().toISOString(),
      });
      await store.insertResults([
        {
          id: randomUUID(),
          run_id: runId,
          test_case_id: randomUUID(),
          model: 'simulated:fast',
          repetition: 1,
          rendered_prompt: 'p\u0000q',
          output: 'a\u0000b\ud800c\udc00',
          latency_ms: 1,
          input_tokens: null,
          output_tokens: null,
          cost_usd: null,
          assertion_results: JSON.stringify([{ message: 'x\u0000\ud800' }]),
          score: 0,
          passed: 0,
          judged: 1,
          cached: 0,
          error_type: 'bad_request',
          error_message: 'bad \u0000 answer',
          simulated: 1,
          attempts: 1,
          created_at: new Date().toISOString(),
        },
      ]);
      const { items } = await store.listResults(runId, { limit: 10, offset: 0 });
      assert.equal(items[0]?.rendered_prompt, 'p\ufffdq');
      assert.equal(items[0]?.output, 'a\ufffdb\ufffdc\ufffd');
      assert.equal(items[0]?.error?.message, 'bad \ufffd answer');
    });

    /** A run of `count` results whose created_at repeat (five share each millisecond). */
    async function runWithResults(
      count: number,
      target: RunStore = store,
      outputOf: (i: number) => string = (i) => `output ${i}`,
    ) {
      const card = await cards.createCard(
        cardInputSchema.parse({ title: 'Pages', prompt_template: 'x' }),
      );
      const runId = randomUUID();
      await target.createRun({
        id: runId,
        prompt_card_id: card.id,
        status: 'running',
        models: JSON.stringify(['m']),
        test_case_ids: '[]',
        concurrency: 1,
        repeat: 1,
        total_items: count,
        user_category: 'tester',
        created_at: new Date().toISOString(),
      });
      const base = Date.parse('2026-12-07T00:00:00.000Z');
      const rows: RunResultTable[] = Array.from({ length: count }, (_, i) => ({
        id: randomUUID(),
        run_id: runId,
        test_case_id: randomUUID(),
        model: 'm',
        repetition: 1,
        rendered_prompt: `prompt ${i}`,
        output: outputOf(i),
        latency_ms: i,
        input_tokens: null,
        output_tokens: null,
        cost_usd: null,
        assertion_results: '[]',
        score: 0,
        passed: 0,
        judged: 0,
        cached: 0,
        error_type: null,
        error_message: null,
        simulated: 0,
        attempts: 1,
        created_at: new Date(base + Math.floor(i / 5)).toISOString(),
      }));
      await target.insertResults(rows);
      const order = [...rows]
        .sort((a, b) =>
          a.created_at === b.created_at
            ? a.id < b.id
              ? -1
              : 1
            : a.created_at < b.created_at
              ? -1
              : 1,
        )
        .map((r) => r.id);
      return { runId, order };
    }

    it('pages a run by key: every result once, in (created_at, id) order, across ties and chunks', async (t) => {
      if (database.skip(t)) return;
      const { runId, order } = await runWithResults(53);
      for (const chunkBytes of [1, 60, RESULT_CHUNK_BYTES]) {
        const seen: string[] = [];
        let after: readonly (string | number)[] | undefined;
        for (;;) {
          const page: string[] = [];
          let last: { created_at: string; id: string } | undefined;
          for await (const r of store.iterateResults(
            runId,
            { limit: 7, ...(after === undefined ? {} : { after }) },
            chunkBytes,
          )) {
            page.push(r.id);
            last = r;
          }
          seen.push(...page);
          if (page.length < 7 || last === undefined) break;
          after = [last.created_at, last.id];
        }
        assert.deepEqual(seen, order, `chunks of ${chunkBytes} bytes`);
      }
      // A bounded offset skips from the start (or from the key) once.
      const { items } = await store.listResults(runId, { limit: 4, offset: 10 });
      assert.deepEqual(
        items.map((r) => r.id),
        order.slice(10, 14),
      );
    });

    /** A store whose queries are logged: rows answered by each, and whether it planned sizes. */
    function loggedStore(): { store: RunStore; queries: { plan: boolean; rows: number }[] } {
      const queries: { plan: boolean; rows: number }[] = [];
      const plans = new Set<QueryId>();
      const plugin: KyselyPlugin = {
        transformQuery(args) {
          if (JSON.stringify(args.node).includes('octet_length')) plans.add(args.queryId);
          return args.node;
        },
        transformResult(args) {
          queries.push({ plan: plans.has(args.queryId), rows: args.result.rows.length });
          return Promise.resolve(args.result);
        },
      };
      return { store: new RunStore(database.handle.db.withPlugin(plugin)), queries };
    }

    it('reads a page of small results in two queries, whatever its size', async (t) => {
      if (database.skip(t)) return;
      const { runId, order } = await runWithResults(500);
      const logged = loggedStore();
      const after = await store.listResults(runId, { limit: 1, offset: 99 });
      const key = after.items[0];
      assert.ok(key !== undefined);
      const seen: string[] = [];
      for await (const r of logged.store.iterateResults(runId, {
        limit: 300,
        after: [key.created_at, key.id],
      }))
        seen.push(r.id);
      assert.deepEqual(seen, order.slice(100, 400));
      // One query plans the page from the sizes of its results, one reads them.
      assert.deepEqual(logged.queries, [
        { plan: true, rows: 300 },
        { plan: false, rows: 300 },
      ]);
    });

    it('reads large results in chunks of at most the byte budget (one result when larger)', async (t) => {
      if (database.skip(t)) return;
      const big = (i: number) => `${i}`.padEnd(100_000, 'x');
      const { runId, order } = await runWithResults(12, store, big);
      for (const [budget, perQuery] of [
        [250_000, 2],
        [50_000, 1],
      ] as const) {
        const logged = loggedStore();
        const seen: string[] = [];
        for await (const r of logged.store.iterateResults(runId, { limit: 500 }, budget)) {
          assert.equal(r.output, big(Number(r.rendered_prompt.slice('prompt '.length))));
          seen.push(r.id);
        }
        assert.deepEqual(seen, order, `budget ${budget}`);
        const reads = logged.queries.filter((q) => !q.plan);
        assert.ok(
          reads.every((q) => q.rows <= perQuery),
          `budget ${budget}: ${JSON.stringify(reads)}`,
        );
        assert.equal(
          reads.reduce((n, q) => n + q.rows, 0),
          12,
        );
      }
    });

    it('opens sealed fields of results read by key (the export)', async (t) => {
      if (database.skip(t)) return;
      const sealed = new RunStore(database.handle.db, new FieldCipher('k'.repeat(32)));
      const { runId, order } = await runWithResults(6, sealed);
      const page = await sealed.resultsAfter(runId, undefined, 10);
      assert.deepEqual(
        page.map((r) => r.id),
        order,
      );
      assert.ok(page.every((r) => r.rendered_prompt.startsWith('prompt ')));
      assert.ok(page.every((r) => r.output?.startsWith('output ') === true));
    });
  });
}
