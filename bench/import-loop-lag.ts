/**
 * Does a large test-case import leave the event loop free? One import of BENCH_IMPORT_ROWS
 * (default 100,000) JSON rows through CardService.importTestCases (parse, check, seal with a
 * real key, insert in one transaction) on SQLite and on PostgreSQL (its own schema, dropped
 * after). A 1 ms timer measures the longest gap between its ticks (the longest stall another
 * request, `/live` included, would wait) next to the import's total time, in one process.
 *
 *   npm run bench:import-loop-lag            (writes its section of bench/README.md)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CardService, CardStore, cardInputSchema } from '../src/cards/index.js';
import {
  connectDatabase,
  FieldCipher,
  migrateToLatest,
  type DatabaseHandle,
} from '../src/db/index.js';
import { machineLine, writeSection } from './bench-report.js';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const SCHEMA = `pcs_bench_import_${process.pid}`;
const KEY = 'b'.repeat(64);

function body(): string {
  const rows = Array.from({ length: ROWS }, (_, i) => ({
    name: `case ${i}`,
    input_variables: { word: `word-${i}`, context: 'some context text '.repeat(4) },
    expected_output: `answer ${i}`,
    assertions: [{ type: 'contains', value: `word-${i}` }],
  }));
  return JSON.stringify(rows);
}

/** The longest gap (ms) between the ticks of a 1 ms timer while `work` runs, and its time. */
async function stalls(work: () => Promise<unknown>): Promise<{ longest: number; total: number }> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  await work();
  const total = performance.now() - started;
  clearInterval(timer);
  longest = Math.max(longest, performance.now() - last);
  return { longest, total };
}

async function row(name: string, handle: DatabaseHandle, text: string): Promise<string> {
  await migrateToLatest(handle.db, handle.schema);
  const store = new CardStore(handle.db, new FieldCipher(KEY));
  const service = new CardService(store, { hasActiveRun: () => Promise.resolve(false) });
  const card = await service.createCard(
    cardInputSchema.parse({ title: 'bench', prompt_template: 'Say {{word}}' }),
  );
  const { longest, total } = await stalls(async () => {
    const ids = await service.importTestCases(card.id, 'json', text);
    if (ids.length !== ROWS) throw new Error(`imported ${ids.length}`);
  });
  const share = ((100 * longest) / total).toFixed(1);
  return `| ${name} | ${ROWS.toLocaleString('en')} | ${total.toFixed(0)} ms | **${longest.toFixed(0)} ms** | ${share} % |`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pcs-bench-import-'));
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  const text = body();
  const out: string[] = [];
  try {
    const sqlite = await connectDatabase(`sqlite:${join(dir, 'bench.db')}`);
    out.push(await row('SQLite', sqlite, text));
    await sqlite.close();
    const postgres = await connectDatabase(POSTGRES_URL, { postgresSchema: SCHEMA });
    out.push(await row('PostgreSQL', postgres, text));
    await postgres.close();
  } finally {
    await admin.query(`drop schema if exists ${SCHEMA} cascade`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
  const table = [
    `\`npm run bench:import-loop-lag\` (needs PostgreSQL). ${machineLine()}. One JSON import, sealed with a real key:`,
    '',
    '| database | rows | import time | longest event-loop stall | stall / import time |',
    '| --- | --: | --: | --: | --: |',
    ...out,
  ].join('\n');
  console.log(table);
  if (process.env.BENCH_WRITE !== '0') writeSection('import-loop-lag', table);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
