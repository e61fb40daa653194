/**
 * The embedded SQLite database under two faults SQLite itself produces, against the real server:
 *
 * - Another process (here a second `node` with better-sqlite3, as `npm run keys`, a backup or
 *   `encryption:rotate` are) holds the write lock: `/live` and reads answer while a write
 *   waits; the write succeeds once the lock is released, or answers 503 after
 *   DATABASE_TIMEOUT_MS — the event loop is never frozen by SQLite's busy wait.
 * - The database is full (SQLITE_FULL, made real with `PRAGMA max_page_count` on the server's
 *   own connection — a tiny file system is not available here): writes answer 507
 *   PCS_ERR_DATABASE_FULL with the database's error in the log (not a masking "cannot rollback"
 *   500); reads still work, and writes work again once room is made.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { parseConfig } from '../../../src/config.js';
import { startServer } from '../../../src/server.js';
import { createLogger } from '../../../src/telemetry/logging/index.js';
import { request, startTestServer } from '../../support/test-server.js';
import { tempDir } from '../../support/temp-dir.js';

/** A second process that takes SQLite's write lock on `file` and holds it until told. */
async function lockHolder(file: string) {
  const script = `
    const db = require('better-sqlite3')(${JSON.stringify(file)});
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('held\\n');
    process.stdin.once('data', () => { db.exec('COMMIT'); db.close(); process.stdout.write('released\\n'); });
  `;
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['-e', script], {
    cwd: process.cwd(),
  });
  const lines: string[] = [];
  const waitFor = (line: string) =>
    new Promise<void>((resolve, reject) => {
      if (lines.includes(line)) resolve();
      child.stdout.on('data', () => lines.includes(line) && resolve());
      child.once('exit', (code) => reject(new Error(`lock holder exited ${code}`)));
    });
  child.stdout.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n')));
  await waitFor('held');
  return {
    release: async () => {
      child.stdin.write('go\n');
      await waitFor('released');
    },
    kill: () => {
      child.kill('SIGKILL');
    },
  };
}

const card = (title: string, template = 'Hi {{name}}') => ({ title, prompt_template: template });

describe('SQLite faults', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('answers /live and reads while another process holds the write lock; the write waits without freezing, then succeeds or answers 503', async () => {
    const server = await startTestServer({ DATABASE_TIMEOUT_MS: '3000' });
    cleanup.push(() => server.dispose());
    const existing = await server.request('POST', '/api/prompt-cards', card('Before'));
    assert.equal(existing.status, 201, existing.text);
    const holder = await lockHolder(join(server.dataDir, 'test.db'));
    cleanup.push(() => holder.kill());

    let writeSettled = false;
    const write = server.request('POST', '/api/prompt-cards', card('During')).finally(() => {
      writeSettled = true;
    });
    // Give the write time to reach the database (with a synchronous busy wait, the process
    // would now be frozen and this timer would fire only after the write gave up).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const live = await server.request('GET', '/live');
    assert.equal(live.status, 200);
    const read = await server.request('GET', `/api/prompt-cards/${existing.body.id}`);
    assert.equal(read.status, 200, read.text);
    assert.equal(writeSettled, false, 'the write is still waiting for the lock, not failed');
    await holder.release();
    const written = await write;
    assert.equal(written.status, 201, written.text);

    // Held past DATABASE_TIMEOUT_MS: a catalog 503, not a 500 and not a hang.
    const holder2 = await lockHolder(join(server.dataDir, 'test.db'));
    cleanup.push(() => holder2.kill());
    const refused = await server.request('POST', '/api/prompt-cards', card('Refused'));
    assert.equal(refused.status, 503, refused.text);
    assert.equal(refused.body.error.code, 'PCS_ERR_DATABASE_UNAVAILABLE');
    await holder2.release();
    const after = await server.request('POST', '/api/prompt-cards', card('After'));
    assert.equal(after.status, 201, after.text);
  });

  it('answers 507 PCS_ERR_DATABASE_FULL with the database error logged when the database is full, and recovers once room is made', async () => {
    const dir = tempDir();
    const logLines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString('utf8').trim().split('\n'));
        done();
      },
    });
    const config = parseConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dir.path, 'full.db')}`,
      SEED_SAMPLES: 'false',
      RATE_LIMIT_WRITES: '0',
      SHUTDOWN_DRAIN_MS: '0',
    });
    const running = await startServer(config, {
      logger: createLogger({ level: 'info', destination }),
    });
    cleanup.push(async () => {
      await running.close();
      dir.remove();
    });
    const existing = await request(running.url, 'POST', '/api/prompt-cards', card('Small'));
    assert.equal(existing.status, 201, existing.text);
    const db = running.database.db;
    const pages = await sql<{ page_count: number }>`pragma page_count`.execute(db);
    const pageCount = pages.rows[0]?.page_count ?? 0;
    await sql.raw(`pragma max_page_count = ${pageCount + 2}`).execute(db);

    const big = card('Big', `Hi {{name}} ${'x'.repeat(90_000)}`);
    const full = await request(running.url, 'POST', '/api/prompt-cards', big);
    assert.equal(full.status, 507, full.text);
    assert.equal(full.body.error.code, 'PCS_ERR_DATABASE_FULL');
    const logged = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.ok(
      logged.some((line) => JSON.stringify(line).includes('SQLITE_FULL')),
      'the database error is logged',
    );
    assert.ok(
      !logged.some((line) => JSON.stringify(line).includes('cannot rollback')),
      'no rollback error masks it',
    );
    const read = await request(running.url, 'GET', `/api/prompt-cards/${existing.body.id}`);
    assert.equal(read.status, 200, read.text);
    const list = await request(running.url, 'GET', '/api/prompt-cards?q=Big');
    assert.equal(list.body.total, 0, 'nothing of the refused write was stored');

    await sql.raw('pragma max_page_count = 1073741823').execute(db);
    const again = await request(running.url, 'POST', '/api/prompt-cards', big);
    assert.equal(again.status, 201, again.text);
  });
});
