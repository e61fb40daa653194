/**
 * A PostgreSQL backend terminated mid-statement (`pg_terminate_backend`, as failovers and
 * poolers do) on the real server: a plain read whose connection dies is run again on a fresh
 * connection and answers 200 (it answered 503 before); so does a write whose transaction's
 * connection dies before COMMIT: the server rolled it back, and the whole transaction runs again
 * on a fresh connection, applied once (it answered 503 before). The statement is held mid-flight
 * by a table lock another connection takes, so the kill lands while it runs, not before or after.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { requirePostgres, throwawaySchema } from '../../support/postgres-schema.js';
import { POSTGRES_URL } from '../../support/system.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

async function waitingBackend(
  admin: pg.Client,
  schema: string,
  table = 'prompt_cards',
): Promise<number> {
  for (let i = 0; i < 400; i++) {
    const found = await admin.query<{ pid: number }>(
      `select l.pid from pg_locks l join pg_stat_activity a using (pid)
        where l.relation = '${schema}.${table}'::regclass and not l.granted
          and a.application_name = 'prompt-card-system'`,
    );
    const pid = found.rows[0]?.pid;
    if (pid !== undefined) return pid;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('no backend of the server waited on the lock');
}

describe('PostgreSQL connection terminated mid-statement', () => {
  const schema = throwawaySchema();
  let server: TestServer | undefined;
  after(async () => {
    await server?.dispose();
  });

  it('answers a read whose backend was terminated, from a fresh connection', async (t) => {
    const skip = await requirePostgres();
    if (skip !== undefined) {
      t.skip(skip);
      return;
    }
    server = await startTestServer(
      { DATABASE_URL: POSTGRES_URL, DATABASE_TIMEOUT_MS: '15000' },
      undefined,
      { postgresSchema: schema },
    );
    const created = await server.request('POST', '/api/prompt-cards', {
      title: 'Survives',
      prompt_template: 'Hi {{name}}',
    });
    assert.equal(created.status, 201, created.text);

    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    try {
      await admin.query('begin');
      await admin.query(`lock table ${schema}.prompt_cards in access exclusive mode`);
      const read = server.request('GET', `/api/prompt-cards/${created.body.id}`);
      const pid = await waitingBackend(admin, schema);
      const killed = await admin.query<{ ok: boolean }>('select pg_terminate_backend($1) as ok', [
        pid,
      ]);
      assert.equal(killed.rows[0]?.ok, true);
      await admin.query('commit');
      const answer = await read;
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body.title, 'Survives');
    } finally {
      await admin.query('rollback').catch(() => undefined);
      await admin.end();
    }
  });

  it('applies a write whose transaction lost its backend before COMMIT, once, from a fresh connection', async (t) => {
    if (server === undefined) {
      t.skip('PostgreSQL is not reachable');
      return;
    }
    const running = server;
    const created = await running.request('POST', '/api/prompt-cards', {
      title: 'Before',
      prompt_template: 'Hi {{name}}',
    });
    assert.equal(created.status, 201, created.text);
    const id = created.body.id as string;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    try {
      await admin.query('begin');
      // The update's transaction (read the template, update the card, append a version) waits
      // on this lock after its first statements: the kill lands inside the transaction.
      await admin.query(`lock table ${schema}.prompt_card_versions in access exclusive mode`);
      const write = running.request('PUT', `/api/prompt-cards/${id}`, {
        title: 'After',
        prompt_template: 'Hello {{name}}',
      });
      const pid = await waitingBackend(admin, schema, 'prompt_card_versions');
      const killed = await admin.query<{ ok: boolean }>('select pg_terminate_backend($1) as ok', [
        pid,
      ]);
      assert.equal(killed.rows[0]?.ok, true);
      await admin.query('commit');
      const answer = await write;
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body.title, 'After');
    } finally {
      await admin.query('rollback').catch(() => undefined);
      await admin.end();
    }
    const versions = await running.request('GET', `/api/prompt-cards/${id}/versions`);
    assert.equal(versions.status, 200, versions.text);
    const templates = (versions.body.items as { prompt_template: string }[]).map(
      (v) => v.prompt_template,
    );
    assert.deepEqual(templates.sort(), ['Hello {{name}}', 'Hi {{name}}'], 'one version appended');
  });
});
