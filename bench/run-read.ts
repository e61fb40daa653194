/**
 * The run read on PostgreSQL, one statement against the former sequence, interleaved in one
 * process: `RunStore.getRun` (the run's row with its kept totals as `json_agg` sub-selects)
 * against the row and then the three kept-totals reads (`getRunRow`, `withSummary`, which is
 * what `getRun` did before). A run of 4,000 results over two models (latencies spread over
 * 1–5,000 ms: about 430 latency buckets, more than a real run has). Prints the medians of 300
 * rounds each and their ratio; the figures go in bench/README.md by hand.
 *
 *   npx tsx bench/run-read.ts          (needs PostgreSQL; TEST_POSTGRES_URL to point elsewhere)
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { CardStore, cardInputSchema } from '../src/cards/index.js';
import { connectDatabase, migrateToLatest, type RunResultTable } from '../src/db/index.js';
import { RunStore } from '../src/runs/run-store.js';

const URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROUNDS = 300;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? NaN;
}

function result(runId: string, i: number): RunResultTable {
  return {
    id: randomUUID(),
    run_id: runId,
    test_case_id: `case-${i}`,
    model: i % 2 === 0 ? 'a' : 'b',
    repetition: 1,
    rendered_prompt: 'p',
    output: 'o',
    latency_ms: 1 + ((i * 7919) % 5000),
    input_tokens: 3,
    output_tokens: 4,
    cost_usd: 0.001,
    assertion_results: '[]',
    score: 1,
    passed: 1,
    judged: 1,
    error_type: i % 9 === 0 ? 'timeout' : null,
    error_message: null,
    simulated: 0,
    attempts: 1,
    cached: 0,
    created_at: new Date().toISOString(),
  };
}

async function main(): Promise<void> {
  const schema = `pcs_bench_run_read_${process.pid}`;
  const handle = await connectDatabase(URL, { postgresSchema: schema });
  try {
    await migrateToLatest(handle.db, schema);
    const store = new RunStore(handle.db);
    const cards = new CardStore(handle.db);
    const card = await cards.createCard(
      cardInputSchema.parse({ title: 'T', prompt_template: 'x' }),
    );
    const runId = randomUUID();
    await store.createRun({
      id: runId,
      prompt_card_id: card.id,
      status: 'running',
      models: JSON.stringify(['a', 'b']),
      test_case_ids: '[]',
      concurrency: 4,
      repeat: 1,
      total_items: 4000,
      user_category: 't',
      created_at: new Date().toISOString(),
    });
    for (let k = 0; k < 20; k++)
      await store.insertResults(Array.from({ length: 200 }, (_, j) => result(runId, k * 200 + j)));
    const one: number[] = [];
    const before: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let start = performance.now();
      await store.getRun(runId);
      one.push(performance.now() - start);
      start = performance.now();
      const row = await store.getRunRow(runId);
      if (row !== undefined) await store.withSummary(row);
      before.push(performance.now() - start);
    }
    const [a, b] = [median(one), median(before)];
    console.log(
      `| ${a.toFixed(2)} ms | ${b.toFixed(2)} ms | ${(b / a).toFixed(2)} | ${loadavg()[0]?.toFixed(2) ?? '—'} |`,
    );
  } finally {
    await handle.db.schema.dropSchema(schema).ifExists().cascade().execute();
    await handle.close();
  }
}

void main();
