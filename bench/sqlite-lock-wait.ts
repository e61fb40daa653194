/**
 * How long the event loop stalls while a write waits for another process's SQLite write lock:
 * Kysely's stock SqliteDialect with the former `busy_timeout = 5000` against this service's
 * LockAwareSqliteDialect (src/db/sqlite-lock-dialect.ts), in one run. A second process holds
 * `BEGIN IMMEDIATE` for 2 s while one insert is issued; the figure is the longest gap between
 * the ticks of a 5 ms interval timer during that wait (the event loop's longest stall).
 *
 *   npx tsx bench/sqlite-lock-wait.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql, SqliteDialect, type Dialect } from 'kysely';
import { LockAwareSqliteDialect } from '../src/db/sqlite-lock-dialect.js';

const HOLD_MS = 2000;

async function holdLock(file: string): Promise<{ released: Promise<void> }> {
  const script = `const db = require('better-sqlite3')(${JSON.stringify(file)});
    db.exec('BEGIN IMMEDIATE'); process.stdout.write('held\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${HOLD_MS});`;
  const child = spawn(process.execPath, ['-e', script], { cwd: process.cwd() });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  return { released: new Promise<void>((resolve) => child.once('exit', () => resolve())) };
}

async function measure(name: string, dialect: (file: string) => Dialect): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pcs-lock-'));
  const file = join(dir, 'db.sqlite');
  const setup = new SqliteDatabase(file);
  setup.pragma('journal_mode = WAL');
  setup.exec('create table t (x integer)');
  setup.close();
  const db = new Kysely<{ t: { x: number } }>({ dialect: dialect(file) });
  const { released } = await holdLock(file);
  // A 5 ms ticker: the longest gap between its ticks is the longest stall of the loop.
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  const started = Date.now();
  await sql`insert into t values (1)`.execute(db);
  const waited = Date.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 30));
  clearInterval(ticker);
  await released;
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `${name.padEnd(34)} write waited ${String(waited).padStart(5)} ms, ` +
      `longest event-loop stall ${longest.toFixed(0).padStart(5)} ms`,
  );
}

async function main(): Promise<void> {
  await measure('stock SqliteDialect, busy 5000 ms', (file) => {
    const database = new SqliteDatabase(file);
    database.pragma('busy_timeout = 5000');
    return new SqliteDialect({ database });
  });
  await measure('LockAwareSqliteDialect', (file) => {
    const writer = new SqliteDatabase(file);
    writer.pragma('busy_timeout = 10');
    return new LockAwareSqliteDialect(writer, new SqliteDatabase(file, { readonly: true }), 5000);
  });
}

void main();
