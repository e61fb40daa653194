/**
 * Crash tests of the outbox with the real Redis stream sink: the service is a child process
 * killed with SIGKILL (no shutdown code runs) after events were committed but before the relay
 * published them; the restarted service delivers every one, with the same event ids.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import type { Redis } from 'ioredis';
import { startMain } from '../../support/main-process.js';
import { readStream, redisClient, requireRedis } from '../../support/redis-stream-reader.js';
import { waitFor } from '../../support/run-helpers.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { tempDir } from '../../support/temp-dir.js';
import { request } from '../../support/test-server.js';

interface OutboxRow {
  id: string;
  type: string;
  subject: string;
  event: string;
  sent_at: string | null;
}

function outbox(file: string): OutboxRow[] {
  const db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('select * from event_outbox order by seq').all() as OutboxRow[];
  } finally {
    db.close();
  }
}

async function cardWithCases(url: string, count: number): Promise<string> {
  const card = await request(url, 'POST', '/api/prompt-cards', {
    title: 'Echo',
    prompt_template: 'Say {{word}}',
  });
  for (let i = 0; i < count; i++)
    await request(url, 'POST', `/api/prompt-cards/${card.body.id}/test-cases`, {
      name: `c${i}`,
      input_variables: { word: `w${i}` },
    });
  return card.body.id as string;
}

describe('the outbox across a SIGKILL (child process, real Redis stream)', () => {
  let skip: string | undefined;
  let client: Redis;
  let proxy: TcpProxy;
  before(async () => {
    skip = await requireRedis();
    if (skip !== undefined) return;
    client = redisClient();
    await client.connect();
    proxy = await startTcpProxy('127.0.0.1', 6379);
  });
  after(async () => {
    if (skip !== undefined) return;
    await proxy.close();
    client.disconnect();
  });

  const env = (dir: string, key: string) => ({
    PORT: '0',
    DATABASE_URL: `sqlite:${join(dir, 'events.db')}`,
    SEED_SAMPLES: 'false',
    LOG_LEVEL: 'info',
    EVENT_SINK: 'redis-stream',
    REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
    REDIS_STREAM_KEY: key,
    EVENT_OUTBOX_POLL_INTERVAL_MS: '50',
    SINK_RETRY_BASE_DELAY_MS: '20',
    SINK_RETRY_MAX_DELAY_MS: '200',
    SIMULATED_FAILURE_RATE: '0',
    SIMULATED_LATENCY_JITTER: '0',
  });

  it('events committed but not yet relayed when the process dies are all delivered after restart, ids unchanged', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const dir = tempDir();
    const key = `pcs-test:crash:${randomBytes(4).toString('hex')}`;
    const file = join(dir.path, 'events.db');
    try {
      await proxy.down();
      const first = startMain({ ...env(dir.path, key), SIMULATED_LATENCY_MS: '5' }, dir.path);
      const url = await first.url();
      const cardId = await cardWithCases(url, 5);
      const run = await request(url, 'POST', `/api/prompt-cards/${cardId}/runs`, {
        models: ['simulated:fast'],
      });
      await waitFor('the run to complete', async () =>
        (await request(url, 'GET', `/api/runs/${run.body.id}`)).body.status === 'completed'
          ? true
          : undefined,
      );
      const committed = outbox(file);
      assert.equal(committed.length, 8, 'created, started, 5 results, finished');
      assert.ok(
        committed.every((row) => row.sent_at === null),
        'nothing was relayed yet',
      );
      first.child.kill('SIGKILL');
      await first.exited;

      await proxy.up();
      const second = startMain({ ...env(dir.path, key), SIMULATED_LATENCY_MS: '5' }, dir.path);
      try {
        await second.url();
        const delivered = await waitFor(
          'every committed event in the stream',
          async () => {
            const events = await readStream(client, key);
            return events.length >= committed.length ? events : undefined;
          },
          30_000,
        );
        assert.deepEqual(
          delivered.map((e) => e.id),
          committed.map((row) => row.id),
          'each committed event arrives once, in commit order, with its original id',
        );
        assert.deepEqual(
          delivered.map((e) => e.raw),
          committed.map((row) => row.event),
          'byte for byte the event that was committed',
        );
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      await client.del(key);
      dir.remove();
    }
  });

  it('a SIGKILL mid-run: every stored result and the interrupted run have their event; duplicates share an id', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const dir = tempDir();
    const key = `pcs-test:crash:${randomBytes(4).toString('hex')}`;
    const file = join(dir.path, 'events.db');
    try {
      const first = startMain({ ...env(dir.path, key), SIMULATED_LATENCY_MS: '150' }, dir.path);
      const url = await first.url();
      const cardId = await cardWithCases(url, 12);
      const run = await request(url, 'POST', `/api/prompt-cards/${cardId}/runs`, {
        models: ['simulated:fast'],
        concurrency: 2,
      });
      const runId = run.body.id as string;
      await waitFor('three results', async () =>
        (await request(url, 'GET', `/api/runs/${runId}`)).body.progress.completed >= 3
          ? true
          : undefined,
      );
      first.child.kill('SIGKILL');
      await first.exited;

      const second = startMain({ ...env(dir.path, key), SIMULATED_LATENCY_MS: '5' }, dir.path);
      try {
        const url2 = await second.url();
        const final = (await request(url2, 'GET', `/api/runs/${runId}`)).body;
        assert.equal(final.status, 'interrupted');
        const results = (await request(url2, 'GET', `/api/runs/${runId}/results?limit=100`)).body
          .items as { id: string }[];
        await waitFor('the outbox to drain', () =>
          outbox(file).every((row) => row.sent_at !== null) ? true : undefined,
        );
        const events = (await readStream(client, key)).filter((e) => e.subject === runId);
        const byId = new Map<string, string>();
        for (const event of events) {
          const seen = byId.get(event.id);
          if (seen !== undefined) assert.equal(event.raw, seen, 'a re-sent event is unchanged');
          byId.set(event.id, event.raw);
        }
        const resultEvents = new Set(
          events.filter((e) => e.type.endsWith('result.recorded')).map((e) => e.id),
        );
        assert.deepEqual(resultEvents, new Set(results.map((r) => r.id)));
        assert.equal(new Set(outbox(file).map((row) => row.id)).size, byId.size);
        const types = events.map((e) => e.type);
        assert.equal(types[0], 'com.promptcards.run.created');
        assert.equal(types.at(-1), 'com.promptcards.run.interrupted');
        assert.equal(events.at(-1)!.event.data.progress.completed, results.length);
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      await client.del(key);
      dir.remove();
    }
  });
});
