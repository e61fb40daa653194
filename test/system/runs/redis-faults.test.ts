/**
 * The shared queue under Redis faults: two API replicas (accept only) and two workers on the
 * real PostgreSQL and a Redis server of the test's own (shut down, restarted empty, flushed;
 * never the shared one), against a loopback OpenAI-wire model; a worker process stopped with
 * SIGTERM while Redis is down. In each case the run ends
 * `completed` (or `interrupted`, and then completes on resume) with exactly one result per item;
 * never `failed`, never stuck `running`. Needs PostgreSQL and redis-server (fails under
 * REQUIRE_SYSTEM=1 without them).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningWorker } from '../../../src/worker-server.js';
import { startMain } from '../../support/main-process.js';
import { startOwnRedis, type OwnRedis } from '../../support/own-redis.js';
import { requirePostgres, throwawaySchema } from '../../support/postgres-schema.js';
import { startReplica } from '../../support/replica.js';
import { createCardWithCases, waitFor } from '../../support/run-helpers.js';
import { POSTGRES_URL } from '../../support/system.js';
import type { TestServer } from '../../support/test-server.js';
import { startTestWorker } from '../../support/worker.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

const schema = throwawaySchema();

describe('the shared queue under Redis faults', async () => {
  const skip = await requirePostgres();
  let redis: OwnRedis;
  let model: WireServer;
  let a: TestServer;
  let b: TestServer;
  let workers: RunningWorker[] = [];
  const env = () => ({
    OPENAI_BASE_URL: model.url,
    PROVIDER_RETRY_BASE_DELAY_MS: '5',
    REDIS_URL: redis.url,
    RUN_QUEUE: 'redis',
    RUN_QUEUE_PREFIX: 'faults',
    RUN_JOB_ITEMS: '25',
    RUN_LEASE_TTL_MS: '1500',
  });

  before(async () => {
    if (skip !== undefined) return;
    const own = await startOwnRedis();
    if (typeof own === 'string') throw new Error(own);
    redis = own;
    model = await startWireServer('openai');
    model.latencyMs = 20;
    a = await startReplica(schema, { ...env(), RUN_EXECUTION: 'api' });
    b = await startReplica(schema, { ...env(), RUN_EXECUTION: 'api' });
    workers = [await startTestWorker(schema, env()), await startTestWorker(schema, env())];
  });
  after(async () => {
    if (skip !== undefined) return;
    await redis.start();
    for (const worker of workers) await worker.close();
    await a.stop();
    await b.stop();
    await model.close();
    await redis.dispose();
  });

  const chatCalls = () => model.requests.filter((r) => r.path === '/v1/chat/completions').length;
  const status = async (runId: string) =>
    (await a.request('GET', `/api/runs/${runId}`)).body as {
      status: string;
      progress: { completed: number };
    };

  /** Waits until the run leaves queued/running; resumes it (once per call) when interrupted. */
  async function untilCompleted(runId: string): Promise<string[]> {
    const seen: string[] = [];
    for (let round = 0; round < 5; round++) {
      const final = await waitFor(
        'the run to end',
        async () => {
          const run = await status(runId);
          return ['queued', 'running'].includes(run.status) ? undefined : run.status;
        },
        120_000,
      );
      seen.push(final);
      if (final !== 'interrupted') return seen;
      const resumed = await b.request('POST', `/api/runs/${runId}/resume`);
      assert.equal(resumed.status, 202, resumed.text);
    }
    return seen;
  }

  async function assertOneResultPerItem(runId: string, items: number): Promise<void> {
    const keys: string[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = (await a.request('GET', `/api/runs/${runId}/results?limit=500&offset=${offset}`))
        .body as { items: { test_case_id: string; model: string; repetition: number }[] };
      keys.push(...page.items.map((r) => `${r.test_case_id}|${r.model}|${r.repetition}`));
      if (page.items.length < 500) break;
    }
    assert.equal(keys.length, items, 'one result per item');
    assert.equal(new Set(keys).size, items, 'no item twice');
  }

  async function startRun(items: number, concurrency = 4): Promise<string> {
    const cardId = await createCardWithCases(a, items);
    const run = await a.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['openai:alpha'],
      concurrency,
    });
    assert.equal(run.status, 202, run.text);
    return run.body.id as string;
  }

  it(
    'Redis shut down for about a second mid-run: the run is never failed and ends completed',
    { skip, timeout: 240_000 },
    async () => {
      const runId = await startRun(300);
      const calls = chatCalls();
      await waitFor('40 results', async () =>
        (await status(runId)).progress.completed >= 40 ? true : undefined,
      );
      await redis.stop();
      await new Promise((resolve) => setTimeout(resolve, 1300));
      await redis.start();
      const ends = await untilCompleted(runId);
      assert.ok(!ends.includes('failed'), `ends: ${ends.join(', ')}`);
      assert.equal(ends.at(-1), 'completed', `ends: ${ends.join(', ')}`);
      await assertOneResultPerItem(runId, 300);
      const duplicates = chatCalls() - calls - 300;
      process.stdout.write(`# redis outage 1.3 s: ${duplicates} duplicate model calls\n`);
    },
  );

  it(
    'POST runs while Redis is down answers before Redis returns (the run, queued), and the run executes once',
    { skip, timeout: 240_000 },
    async () => {
      const cardId = await createCardWithCases(a, 30);
      await redis.stop();
      let answer: Awaited<ReturnType<TestServer['request']>>;
      try {
        // Awaited while Redis is still down: a hang fails the test by its timeout.
        answer = await a.request('POST', `/api/prompt-cards/${cardId}/runs`, {
          models: ['openai:alpha'],
          concurrency: 4,
        });
      } finally {
        await redis.start();
      }
      if (answer.status === 503) {
        assert.ok(answer.headers.get('retry-after') !== null, 'a 503 says when to retry');
        return;
      }
      assert.equal(answer.status, 202, answer.text);
      const runId = answer.body.id as string;
      const ends = await untilCompleted(runId);
      assert.equal(ends.at(-1), 'completed', `ends: ${ends.join(', ')}`);
      await assertOneResultPerItem(runId, 30);
      const runs = (await a.request('GET', `/api/prompt-cards/${cardId}/runs`)).body as {
        items: unknown[];
      };
      assert.equal(runs.items.length, 1, 'exactly one run for the one request');
    },
  );

  it(
    'Redis flushed mid-run (every job lost): the run is recovered, not stuck running',
    { skip, timeout: 240_000 },
    async () => {
      const runId = await startRun(400, 2);
      await waitFor('30 results', async () =>
        (await status(runId)).progress.completed >= 30 ? true : undefined,
      );
      await redis.flush();
      const ends = await untilCompleted(runId);
      assert.equal(ends.at(-1), 'completed', `ends: ${ends.join(', ')}`);
      await assertOneResultPerItem(runId, 400);
    },
  );

  it(
    'a worker process exits 0 on SIGTERM while Redis is down, before Redis returns',
    { skip, timeout: 120_000 },
    async () => {
      const worker = startMain(
        {
          ...env(),
          DATABASE_URL: `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}`,
          WORKER_PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'info',
        },
        undefined,
        'src/worker.ts',
      );
      await worker.url(60_000);
      await redis.stop();
      let code: number | null;
      try {
        worker.child.kill('SIGTERM');
        // Awaited while Redis is still down: a worker that waits for Redis fails by the timeout.
        code = await worker.exited;
      } finally {
        await redis.start();
      }
      assert.equal(code, 0, worker.output().stderr);
    },
  );
});
