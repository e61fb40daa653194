/**
 * How long does the service take to serve a large run? One run of BENCH_RESULTS (default
 * 100,000) results on SQLite and on PostgreSQL (its own schema, dropped after), served by the
 * real service (`startServer`, built as `npm start` runs it, in this process) on loopback:
 * the first page of 500 (`GET /api/runs/:id/results?limit=500`), the last page of 500 by key
 * (`?after=<next>` of the page before it), and the run read (`GET /api/runs/:id`).
 *
 * Server time: from the request reaching the first middleware to the response's `finish` event
 * (its last byte handed to the socket), as an access log would record it — not the client's
 * wall time. Median of BENCH_ROUNDS (default 5) interleaved rounds after one warm-up round; every
 * page is checked to hold 500 results. The store's read of the last page
 * (`RunStore.iterateResults`, no HTTP, no JSON) is also timed alone. PostgreSQL's table is
 * analyzed after the bulk load, as autovacuum does on a live service.
 *
 *   npm run bench:results-pages            (writes its section of bench/README.md)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import type { RequestHandler } from 'express';
import type { RunResultTable } from '../src/db/index.js';
import { CardStore, cardInputSchema } from '../src/cards/index.js';
import { parseConfig } from '../src/config.js';
import { startServer, type RunningServer } from '../src/server.js';
import { encodeCursor } from '../src/util/page-cursor.js';
import { silentLogger } from '../src/telemetry/logging/index.js';
import { RunStore } from '../src/runs/run-store.js';
import { machineLine, writeSection } from './bench-report.js';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RESULTS = Number(process.env.BENCH_RESULTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PAGE = 500;
const SCHEMA = `pcs_bench_pages_${process.pid}`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Server time per request path, ms: first middleware to the response's `finish`. */
const served = new Map<string, number>();
const serverClock: RequestHandler = (req, res, next) => {
  const started = process.hrtime.bigint();
  const url = req.originalUrl;
  res.on('finish', () => served.set(url, Number(process.hrtime.bigint() - started) / 1e6));
  next();
};

async function seed(server: RunningServer): Promise<{ runId: string; store: RunStore }> {
  const db = server.database.db;
  const store = new RunStore(db);
  const card = await new CardStore(db).createCard(
    cardInputSchema.parse({ title: 'bench', prompt_template: 'x' }),
  );
  const cardId = card.id;
  const now = new Date().toISOString();
  const runId = randomUUID();
  await store.createRun({
    id: runId,
    prompt_card_id: cardId,
    status: 'completed',
    models: JSON.stringify(['m']),
    test_case_ids: '[]',
    concurrency: 1,
    repeat: 1,
    total_items: RESULTS,
    user_category: 'bench',
    created_at: now,
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
        assertion_results: '[{"type":"contains","passed":true,"score":1,"reason":"ok"}]',
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
  return { runId, store };
}

/** Server ms of one GET; throws unless it answers 200 (and `items` results when given). */
async function get(server: RunningServer, path: string, items?: number): Promise<number> {
  const response = await fetch(`${server.url}${path}`);
  const body = (await response.json()) as { items?: unknown[] };
  if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
  if (items !== undefined && body.items?.length !== items)
    throw new Error(`${path}: ${body.items?.length} items`);
  const ms = served.get(path);
  if (ms === undefined) throw new Error(`${path}: no server time`);
  return ms;
}

async function storePage(store: RunStore, runId: string, after: [string, string]) {
  const started = performance.now();
  let n = 0;
  for await (const result of store.iterateResults(runId, { limit: PAGE, after }))
    if (result.run_id === runId) n++;
  if (n !== PAGE) throw new Error(`store page read ${n}`);
  return performance.now() - started;
}

async function rows(name: string, databaseUrl: string): Promise<string> {
  const config = parseConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: databaseUrl,
    SEED_SAMPLES: 'false',
    LOG_LEVEL: 'silent',
  });
  const server = await startServer(config, {
    logger: silentLogger(),
    earlyMiddleware: [serverClock],
    ...(databaseUrl.startsWith('postgres') ? { postgresSchema: SCHEMA } : {}),
  });
  try {
    const { runId, store } = await seed(server);
    const db = server.database.db;
    // PostgreSQL's autovacuum analyzes a table once a tenth of it changed, within a minute on a
    // live service; right after a bulk load it may not have yet, and without statistics the
    // first page (no key bound) is planned as a scan and sort of the whole run. The bench
    // measures the steady state.
    if (server.database.kind === 'postgres') await sql`analyze run_results`.execute(db);
    // The key of the result before the last page: what the previous page's `next` holds.
    const key = await db
      .selectFrom('run_results')
      .select(['created_at', 'id'])
      .where('run_id', '=', runId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .offset(PAGE)
      .limit(1)
      .executeTakeFirstOrThrow();
    const after = encodeCursor('results', [key.created_at, key.id]);
    const first = `/api/runs/${runId}/results?limit=${PAGE}`;
    const last = `/api/runs/${runId}/results?limit=${PAGE}&after=${encodeURIComponent(after)}`;
    const run = `/api/runs/${runId}`;
    const firstMs: number[] = [];
    const lastMs: number[] = [];
    const runMs: number[] = [];
    const storeMs: number[] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      const f = await get(server, first, PAGE);
      const l = await get(server, last, PAGE);
      const r = await get(server, run);
      const s = await storePage(store, runId, [key.created_at, key.id]);
      if (round === 0) continue; // warm-up: connections opened, statements and pages cached
      firstMs.push(f);
      lastMs.push(l);
      runMs.push(r);
      storeMs.push(s);
    }
    const ms = (v: number[]) => `${median(v).toFixed(1)} ms`;
    return `| ${name} | ${ms(firstMs)} | **${ms(lastMs)}** | ${ms(storeMs)} | **${ms(runMs)}** | ${loadavg()[0]?.toFixed(1)} |`;
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pcs-bench-pages-'));
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  const out: string[] = [];
  try {
    out.push(await rows('SQLite', `sqlite:${join(dir, 'bench.db')}`));
    process.stdout.write(`${out.at(-1) ?? ''}\n`);
    out.push(await rows('PostgreSQL', POSTGRES_URL));
    process.stdout.write(`${out.at(-1) ?? ''}\n`);
  } finally {
    await admin.query(`drop schema if exists ${SCHEMA} cascade`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
  if (process.env.BENCH_NO_README === '1') return;
  writeSection(
    'results-pages',
    `## results-pages: serving a run of ${RESULTS.toLocaleString('en')} results

\`npm run bench:results-pages\` (needs PostgreSQL). ${machineLine()}. The service
(\`startServer\`, in the bench's process) serves one finished run of ${RESULTS.toLocaleString('en')} results on loopback;
**server time** = first middleware to the response's \`finish\` (what an access log records), median
of ${ROUNDS} interleaved rounds after a warm-up round. Pages hold ${PAGE} results (the API's largest);
*last page by key* is \`?after=<next>\` of the page before it. *Store read* is
\`RunStore.iterateResults\` for that last page alone (no HTTP, no JSON). Goals: a page ≤ 50 ms,
the run read ≤ 5 ms.

| database | first page of ${PAGE} | last page by key | store read of it | \`GET /api/runs/:id\` | load average (1 min) |
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
