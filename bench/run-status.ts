/**
 * How long does a status read (`GET /api/runs/:id`: the run row and its per-model summary)
 * take on a run of BENCH_RESULTS (default 100,000) results, and what does keeping the totals
 * cost the writes? One run per database (SQLite, and PostgreSQL in its own schema, dropped
 * after), two models, 8 % errors, varied latencies. *Before* is the previous commit's summary
 * (src/runs/run-store.ts at main before the kept totals, copied below): one grouped query over
 * every result, errors by type, and two ORDER BY … OFFSET reads per model for p50/p95. *After*
 * is `RunStore.getRun`, which reads the kept totals. The write cost: the same 10,000 rows stored
 * by `insertResults` (batches of 200, as the result writer makes them, totals kept) against a
 * plain INSERT … ON CONFLICT DO NOTHING of those rows into another run (the previous write).
 * Medians of BENCH_ROUNDS (default 5) interleaved rounds, in one process.
 *
 *   npm run bench:run-status            (writes its section of bench/README.md)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { CardStore, cardInputSchema } from '../src/cards/index.js';
import {
  connectDatabase,
  migrateToLatest,
  type Database,
  type DatabaseHandle,
  type RunResultTable,
} from '../src/db/index.js';
import { percentilePosition } from '../src/runs/run-summary.js';
import { RunStore } from '../src/runs/run-store.js';
import { machineLine, writeSection } from './bench-report.js';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RESULTS = Number(process.env.BENCH_RESULTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WRITE_ROWS = 10_000;
const BATCH = 200;
const MODELS = ['openai:a', 'openai:b'];
const SCHEMA = `pcs_bench_status_${process.pid}`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

function rowsOf(runId: string, from: number, count: number, base: number): RunResultTable[] {
  return Array.from({ length: count }, (_, k) => {
    const j = from + k;
    const error = j % 13 === 0 ? (j % 2 === 0 ? 'timeout' : 'rate_limited') : null;
    return {
      id: randomUUID(),
      run_id: runId,
      test_case_id: `tc-${Math.floor(j / 2)}`,
      model: MODELS[j % 2] ?? 'openai:a',
      repetition: 1,
      rendered_prompt: `prompt ${j}`,
      output: error === null ? `output ${j}` : null,
      latency_ms: 20 + ((j * 7919) % 3000) / 7,
      input_tokens: error === null ? 10 + (j % 50) : null,
      output_tokens: error === null ? 20 + (j % 30) : null,
      cost_usd: error === null ? 0.0001 * (j % 7) : null,
      assertion_results: '[]',
      score: error === null ? (j % 4) / 4 : 0,
      passed: error === null && j % 4 === 3 ? 1 : 0,
      judged: 1,
      cached: 0,
      error_type: error,
      error_message: error,
      simulated: 0,
      attempts: 1,
      created_at: new Date(base + j).toISOString(),
    };
  });
}

async function newRun(store: RunStore, cardId: string, total: number): Promise<string> {
  const runId = randomUUID();
  await store.createRun({
    id: runId,
    prompt_card_id: cardId,
    status: 'completed',
    models: JSON.stringify(MODELS),
    test_case_ids: '[]',
    concurrency: 1,
    repeat: 1,
    total_items: total,
    user_category: 'bench',
    created_at: new Date().toISOString(),
  });
  return runId;
}

/** The previous commit's status read: the run row and the summary recomputed over every result. */
async function previousStatus(db: Kysely<Database>, runId: string): Promise<number> {
  await db.selectFrom('runs').selectAll().where('id', '=', runId).executeTakeFirst();
  return (await previousTallies(db, runId)).size;
}

async function previousTallies(db: Kysely<Database>, runId: string): Promise<Map<string, unknown>> {
  const ofRun = db.selectFrom('run_results').where('run_id', '=', runId);
  const totals = await ofRun
    .select((eb) => [
      'model',
      eb.fn.countAll().as('results'),
      eb.fn.sum(eb.case().when('passed', '=', 1).then(1).else(0).end()).as('passed'),
      eb.fn.count('error_type').as('errored'),
      eb.fn
        .sum(
          eb
            .case()
            .when(eb.and([eb('error_type', 'is', null), eb('judged', '=', 0)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('not_judged'),
      eb.fn.sum('score').as('score_sum'),
      eb.fn
        .sum(eb.case().when('error_type', 'is', null).then(eb.ref('latency_ms')).else(0).end())
        .as('answered_latency'),
      eb.fn.sum('input_tokens').as('input_tokens'),
      eb.fn.sum('output_tokens').as('output_tokens'),
      eb.fn.count('input_tokens').as('input_known'),
      eb.fn.count('output_tokens').as('output_known'),
      eb.fn
        .sum(
          eb
            .case()
            .when(
              eb.and([
                eb('error_type', 'is', null),
                eb.or([eb('input_tokens', 'is', null), eb('output_tokens', 'is', null)]),
              ]),
            )
            .then(1)
            .else(0)
            .end(),
        )
        .as('tokens_missing'),
      eb.fn.sum('cost_usd').as('cost_sum'),
      eb.fn.count('cost_usd').as('costs_known'),
      eb.fn.max('simulated').as('simulated'),
    ])
    .groupBy('model')
    .execute();
  const errors = await ofRun
    .select((eb) => ['model', 'error_type', eb.fn.countAll().as('n')])
    .where('error_type', 'is not', null)
    .groupBy(['model', 'error_type'])
    .execute();
  const tallies = new Map<string, unknown>();
  for (const t of totals) {
    const results = Number(t.results);
    const errored = Number(t.errored);
    const answered = results - errored;
    const errorsByType: Record<string, number> = {};
    for (const e of errors)
      if (e.model === t.model && e.error_type !== null) errorsByType[e.error_type] = Number(e.n);
    tallies.set(t.model, {
      model: t.model,
      results,
      passed: Number(t.passed),
      errored,
      notJudged: Number(t.not_judged ?? 0),
      scoreSum: Number(t.score_sum ?? 0),
      simulated: Number(t.simulated) === 1,
      answeredLatencyTotal: Number(t.answered_latency ?? 0),
      latencyP50: await previousPercentile(db, runId, t.model, answered, 0.5),
      latencyP95: await previousPercentile(db, runId, t.model, answered, 0.95),
      inputTokens: Number(t.input_tokens ?? 0),
      outputTokens: Number(t.output_tokens ?? 0),
      inputTokensKnown: Number(t.input_known),
      outputTokensKnown: Number(t.output_known),
      tokensMissing: Number(t.tokens_missing ?? 0),
      costSum: Number(t.cost_sum ?? 0),
      costsKnown: Number(t.costs_known),
      errorsByType,
    });
  }
  return tallies;
}

async function previousPercentile(
  db: Kysely<Database>,
  runId: string,
  model: string,
  answered: number,
  p: number,
): Promise<number | null> {
  if (answered === 0) return null;
  const { lower, upper, fraction } = percentilePosition(answered, p);
  const values = await db
    .selectFrom('run_results')
    .select('latency_ms')
    .where('run_id', '=', runId)
    .where('model', '=', model)
    .where('error_type', 'is', null)
    .orderBy('latency_ms')
    .limit(upper - lower + 1)
    .offset(lower)
    .execute();
  const a = Number(values[0]?.latency_ms ?? 0);
  const b = Number(values[1]?.latency_ms ?? a);
  return a + (b - a) * fraction;
}

async function rows(name: string, handle: DatabaseHandle): Promise<string> {
  await migrateToLatest(handle.db, handle.schema);
  const store = new RunStore(handle.db);
  const card = await new CardStore(handle.db).createCard(
    cardInputSchema.parse({ title: 'bench', prompt_template: 'x' }),
  );
  const runId = await newRun(store, card.id, RESULTS);
  const base = Date.now();
  for (let i = 0; i < RESULTS; i += BATCH)
    await store.insertResults(rowsOf(runId, i, Math.min(BATCH, RESULTS - i), base));
  // Warm-up: connections of the pool, statement plans, JIT.
  for (let i = 0; i < 3; i++) {
    await previousStatus(handle.db, runId);
    await store.getRun(runId);
  }
  const beforeMs: number[] = [];
  const afterMs: number[] = [];
  const keptWriteMs: number[] = [];
  const plainWriteMs: number[] = [];
  const keptCpu: number[] = [];
  const plainCpu: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    beforeMs.push(await time(() => previousStatus(handle.db, runId)));
    // The kept read is cheap: many samples per round, so a scheduling hiccup of this shared
    // machine does not become the median.
    for (let sample = 0; sample < 20; sample++)
      afterMs.push(
        await time(async () => {
          const run = await store.getRun(runId);
          if (run?.progress.completed !== RESULTS) throw new Error('the kept totals miss results');
        }),
      );
    if (round < 3) {
      const writes = rowsOf('', 0, WRITE_ROWS, base);
      const kept = await newRun(store, card.id, WRITE_ROWS);
      const plain = await newRun(store, card.id, WRITE_ROWS);
      let cpu = process.cpuUsage();
      keptWriteMs.push(
        await time(async () => {
          for (let i = 0; i < WRITE_ROWS; i += BATCH)
            await store.insertResults(
              writes.slice(i, i + BATCH).map((r) => ({ ...r, run_id: kept, id: randomUUID() })),
            );
        }),
      );
      let used = process.cpuUsage(cpu);
      keptCpu.push((used.user + used.system) / 1000);
      cpu = process.cpuUsage();
      plainWriteMs.push(
        await time(async () => {
          for (let i = 0; i < WRITE_ROWS; i += BATCH)
            await handle.db
              .insertInto('run_results')
              .values(
                writes.slice(i, i + BATCH).map((r) => ({ ...r, run_id: plain, id: randomUUID() })),
              )
              .onConflict((oc) =>
                oc.columns(['run_id', 'test_case_id', 'model', 'repetition']).doNothing(),
              )
              .returning('id')
              .execute();
        }),
      );
      used = process.cpuUsage(cpu);
      plainCpu.push((used.user + used.system) / 1000);
    }
  }
  const ms = (v: number[]) => `${median(v).toFixed(2)} ms`;
  const perRow = (v: number[]) => `${((median(v) * 1000) / WRITE_ROWS).toFixed(1)} µs`;
  return `| ${name} | ${ms(beforeMs)} | **${ms(afterMs)}** | ${(median(beforeMs) / median(afterMs)).toFixed(0)}× | ${perRow(plainWriteMs)} (${perRow(plainCpu)} CPU) | ${perRow(keptWriteMs)} (${perRow(keptCpu)} CPU) |`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pcs-bench-status-'));
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  const out: string[] = [];
  try {
    const sqlite = await connectDatabase(`sqlite:${join(dir, 'bench.db')}`);
    out.push(await rows('SQLite', sqlite));
    await sqlite.close();
    process.stdout.write(`${out.at(-1) ?? ''}\n`);
    const postgres = await connectDatabase(POSTGRES_URL, { postgresSchema: SCHEMA });
    out.push(await rows('PostgreSQL', postgres));
    await postgres.close();
    process.stdout.write(`${out.at(-1) ?? ''}\n`);
  } finally {
    await admin.query(`drop schema if exists ${SCHEMA} cascade`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  writeSection(
    'run-status',
    `## run-status: the status read of a run of ${RESULTS.toLocaleString('en')} results

\`npm run bench:run-status\` (needs PostgreSQL). ${machineLine()}. Store-level, what
\`GET /api/runs/:id\` does before it serialises a few hundred bytes: the run row and its
per-model summary (two models, 8 % errors). *Before* recomputes the summary over every result
the way the previous commit did (one grouped query, errors by type, two ORDER BY … OFFSET
reads per model for p50/p95); *after* reads the totals kept as results arrived (a run row and
at most a few hundred bucket rows). Medians of ${ROUNDS} interleaved rounds in one process (the
kept read sampled 20 times a round). Goal: ≤ 5 ms. Load average (1/5/15 min) at the end: ${load}. The write columns: ${WRITE_ROWS.toLocaleString('en')} results stored in batches of ${BATCH}
(what the result writer groups), per result: a plain INSERT (the previous write) against
\`insertResults\` with the totals added in the same transaction (median of 3; CPU is this
process's, so for PostgreSQL it leaves out the server's).

| database | status read before | status read after | ratio | write per result, plain | write per result, totals kept |
| --- | --- | --- | --- | --- | --- |
${out.join('\n')}
`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
