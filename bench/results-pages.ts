/**
 * How long does a page of a large run's results take to read? One run of BENCH_RESULTS
 * (default 100,000) results on SQLite and on PostgreSQL (its own schema, dropped after); the last
 * page of 500 read the way the previous commit read it (OFFSET, 4 rows per query, each query
 * skipping every row before it) against the keyset read (`after` = the key of the previous
 * page's last result), and the status read (GET /api/runs/:id: kept totals since
 * bench:run-status). Median of BENCH_ROUNDS (default 3) interleaved rounds, in one process.
 *
 *   npm run bench:results-pages            (writes its section of bench/README.md)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  connectDatabase,
  migrateToLatest,
  type DatabaseHandle,
  type RunResultTable,
} from '../src/db/index.js';
import { CardStore, cardInputSchema } from '../src/cards/index.js';
import { RunStore } from '../src/runs/run-store.js';
import { machineLine, writeSection } from './bench-report.js';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RESULTS = Number(process.env.BENCH_RESULTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PAGE = 500;
const SCHEMA = `pcs_bench_pages_${process.pid}`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function seed(handle: DatabaseHandle): Promise<{ store: RunStore; runId: string }> {
  const store = new RunStore(handle.db);
  const card = await new CardStore(handle.db).createCard(
    cardInputSchema.parse({ title: 'bench', prompt_template: 'x' }),
  );
  const runId = randomUUID();
  await store.createRun({
    id: runId,
    prompt_card_id: card.id,
    status: 'completed',
    models: JSON.stringify(['m']),
    test_case_ids: '[]',
    concurrency: 1,
    repeat: 1,
    total_items: RESULTS,
    user_category: 'bench',
    created_at: new Date().toISOString(),
  });
  const base = Date.now();
  for (let i = 0; i < RESULTS; i += 1000) {
    const rows: RunResultTable[] = [];
    for (let j = i; j < Math.min(RESULTS, i + 1000); j++)
      rows.push({
        id: randomUUID(),
        run_id: runId,
        test_case_id: randomUUID(),
        model: 'm',
        repetition: 1,
        rendered_prompt: `prompt ${j}`,
        output: `output ${j}`,
        latency_ms: j % 997,
        input_tokens: 10,
        output_tokens: 20,
        cost_usd: 0.001,
        assertion_results: '[]',
        score: j % 2,
        passed: j % 2,
        judged: 1,
        cached: 0,
        error_type: null,
        error_message: null,
        simulated: 0,
        attempts: 1,
        created_at: new Date(base + j).toISOString(),
      });
    await store.insertResults(rows);
  }
  return { store, runId };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function drain(items: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const item of items) if (item !== undefined) n++;
  return n;
}

/** The previous commit's read of a page (src/runs/run-store.ts at cade605): OFFSET per 4 rows. */
async function offsetPage(handle: DatabaseHandle, runId: string, offset: number): Promise<number> {
  let read = 0;
  while (read < PAGE) {
    const want = Math.min(4, PAGE - read);
    const found = await handle.db
      .selectFrom('run_results')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .limit(want)
      .offset(offset + read)
      .execute();
    read += found.length;
    if (found.length < want) break;
  }
  return read;
}

async function rows(name: string, handle: DatabaseHandle): Promise<string> {
  await migrateToLatest(handle.db, handle.schema);
  const { store, runId } = await seed(handle);
  // The key of the result before the last page: what the previous page's `next` holds.
  const keys = await handle.db
    .selectFrom('run_results')
    .select(['created_at', 'id'])
    .where('run_id', '=', runId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .offset(PAGE)
    .limit(1)
    .executeTakeFirstOrThrow();
  const offsetMs: number[] = [];
  const keysetMs: number[] = [];
  const firstMs: number[] = [];
  const statusMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    offsetMs.push(await time(() => offsetPage(handle, runId, RESULTS - PAGE)));
    keysetMs.push(
      await time(async () => {
        const n = await drain(
          store.iterateResults(runId, { limit: PAGE, after: [keys.created_at, keys.id] }),
        );
        if (n !== PAGE) throw new Error(`keyset page read ${n}`);
      }),
    );
    firstMs.push(await time(() => drain(store.iterateResults(runId, { limit: PAGE }))));
    statusMs.push(await time(() => store.getRun(runId)));
  }
  const f = (v: number[]) => `${median(v).toFixed(1)} ms`;
  return `| ${name} | ${f(firstMs)} | ${f(offsetMs)} | **${f(keysetMs)}** | ${f(statusMs)} |`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pcs-bench-pages-'));
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
  writeSection(
    'results-pages',
    `## results-pages: reading a run of ${RESULTS.toLocaleString('en')} results

\`npm run bench:results-pages\` (needs PostgreSQL). ${machineLine()}. Store-level reads (the route adds
JSON streaming), median of ${ROUNDS} interleaved rounds in one process; the same run and rows for every
column. *Last page by OFFSET* is how the previous commit read page n (\`?offset=\`, 4 rows per
query, each query skipping every row before it); *last page by key* is \`?after=<next>\` now.
*Status summary* is what \`GET /api/runs/:id\` reads (the kept totals since
\`npm run bench:run-status\` measured them).

| database | first page of ${PAGE} | last page by OFFSET (before) | last page by key (now) | status summary |
| --- | --- | --- | --- | --- |
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
