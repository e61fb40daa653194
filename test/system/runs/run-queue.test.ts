/**
 * Runs on the shared queue (BullMQ on Redis) with API replicas that only accept and workers
 * that execute, all on one PostgreSQL schema, in the test process. Needs PostgreSQL and Redis
 * (fails under REQUIRE_SYSTEM=1 without them).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningWorker } from '../../../src/worker-server.js';
import { requirePostgres, throwawaySchema } from '../../support/postgres-schema.js';
import { REDIS_URL, requireRedis, throwawayRedisPrefix } from '../../support/redis.js';
import { startReplica } from '../../support/replica.js';
import { createCardWithCases, waitFor, watchRun } from '../../support/run-helpers.js';
import type { TestServer } from '../../support/test-server.js';
import { startTestWorker } from '../../support/worker.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

const schema = throwawaySchema();
const prefix = throwawayRedisPrefix();

describe('runs on the shared queue: API replicas accept, workers execute', async () => {
  const skip = (await requirePostgres()) ?? (await requireRedis());
  let model: WireServer;
  let a: TestServer;
  let b: TestServer;
  const workers: RunningWorker[] = [];
  const env = () => ({
    OPENAI_BASE_URL: model.url,
    PROVIDER_RETRY_BASE_DELAY_MS: '5',
    REDIS_URL,
    RUN_QUEUE: 'redis',
    RUN_QUEUE_PREFIX: prefix,
    RUN_JOB_ITEMS: '10',
    RUN_LEASE_TTL_MS: '2000',
  });

  before(async () => {
    if (skip !== undefined) return;
    model = await startWireServer('openai');
    model.latencyMs = 30;
    a = await startReplica(schema, { ...env(), RUN_EXECUTION: 'api' });
    b = await startReplica(schema, { ...env(), RUN_EXECUTION: 'api' });
    for (let i = 0; i < 2; i++) workers.push(await startTestWorker(schema, env()));
  });
  after(async () => {
    if (skip !== undefined) return;
    for (const worker of workers) await worker.close();
    await a.stop();
    await b.stop();
    await model.close();
  });

  const chatCalls = () => model.requests.filter((r) => r.path === '/v1/chat/completions').length;

  it(
    'a run accepted by one replica is executed by the workers; a socket on another follows it',
    { skip },
    async () => {
      const calls = chatCalls();
      const cardId = await createCardWithCases(a, 60);
      model.resetPeakInFlight();
      const run = await a.request('POST', `/api/prompt-cards/${cardId}/runs`, {
        models: ['openai:alpha'],
        concurrency: 4,
      });
      assert.equal(run.status, 202, run.text);
      assert.equal(run.body.status, 'queued');
      const runId = run.body.id as string;
      const watcher = await watchRun(b, runId);
      const events = await watcher.finished;
      watcher.close();
      const final = (await b.request('GET', `/api/runs/${runId}`)).body;
      assert.equal(final.status, 'completed');
      const results = (await b.request('GET', `/api/runs/${runId}/results?limit=500`)).body;
      assert.equal(results.total, 60);
      assert.equal(chatCalls() - calls, 60, 'one model call per item');
      // The run's concurrency holds across both workers (six jobs in flight could call 24 at once).
      assert.ok(model.peakInFlight() <= 4, `peak ${model.peakInFlight()}`);
      const seen = new Set(
        events.filter((e) => e.type === 'result').map((e) => e.result.id as string),
      );
      assert.equal(seen.size, 60, 'every result reached the socket on the other replica');
      assert.equal(events.at(-1).run.status, 'completed');
      const metrics = (await a.request('GET', '/api/metrics')).text;
      assert.match(metrics, /^run_queue_depth_items \d+$/m);
      assert.match(metrics, /^run_queue_oldest_job_age_seconds [\d.e+-]+$/m);
    },
  );

  it(
    'cancel from the other replica reaches the workers; nothing is stored afterwards',
    { skip },
    async () => {
      const cardId = await createCardWithCases(a, 80);
      const run = await a.request('POST', `/api/prompt-cards/${cardId}/runs`, {
        models: ['openai:alpha'],
        concurrency: 2,
      });
      const runId = run.body.id as string;
      await waitFor('five results', async () =>
        (await b.request('GET', `/api/runs/${runId}`)).body.progress.completed >= 5
          ? true
          : undefined,
      );
      const started = Date.now();
      const cancelled = await b.request('POST', `/api/runs/${runId}/cancel`);
      assert.equal(cancelled.status, 200, cancelled.text);
      assert.ok(Date.now() - started < 2000, 'cancelled within 2 s');
      const stored = cancelled.body.progress.completed as number;
      assert.ok(stored < 80);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const later = (await a.request('GET', `/api/runs/${runId}`)).body;
      assert.equal(later.status, 'cancelled');
      assert.equal(later.progress.completed, stored);

      // Resume: the workers run only the missing items.
      const calls = chatCalls();
      assert.equal((await a.request('POST', `/api/runs/${runId}/resume`)).status, 202);
      const status = await waitFor('the resumed run to finish', async () => {
        const s = (await a.request('GET', `/api/runs/${runId}`)).body.status as string;
        return ['queued', 'running'].includes(s) ? undefined : s;
      });
      assert.equal(status, 'completed');
      assert.equal(chatCalls() - calls, 80 - stored);
    },
  );
});
