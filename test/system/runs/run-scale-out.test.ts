/**
 * The scaled-out setup as separate processes: two API processes (accept and enqueue only) and
 * three workers, on the real PostgreSQL and Redis, a 600-item run against a loopback
 * OpenAI-wire model (50 ms). While it runs: API B restarts, one worker is killed with SIGKILL,
 * a WebSocket opens on API B. Then a cancel from API B while the workers execute. Needs
 * PostgreSQL and Redis (fails under REQUIRE_SYSTEM=1 without them).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMain } from '../../support/main-process.js';
import { requirePostgres, throwawaySchema } from '../../support/postgres-schema.js';
import { REDIS_URL, requireRedis, throwawayRedisPrefix } from '../../support/redis.js';
import { waitFor, type Event } from '../../support/run-helpers.js';
import { POSTGRES_URL } from '../../support/system.js';
import { request } from '../../support/test-server.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';
import pg from 'pg';
import WebSocket from 'ws';

const schema = throwawaySchema();
const prefix = throwawayRedisPrefix();

type Child = ReturnType<typeof startMain> & { baseUrl: string };

describe('scaled out: two API processes and three workers', async () => {
  const skip = (await requirePostgres()) ?? (await requireRedis());
  // One loopback model per worker (index 0 also for the APIs): which process called what is known.
  let models: WireServer[] = [];
  const children: Child[] = [];
  let apiA: Child;
  let apiB: Child;
  let workers: Child[] = [];

  const env = (model = models[0]) => ({
    DATABASE_URL: `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}`,
    OPENAI_BASE_URL: model.url,
    PROVIDER_RETRY_BASE_DELAY_MS: '5',
    REDIS_URL,
    RUN_QUEUE: 'redis',
    RUN_QUEUE_PREFIX: prefix,
    RUN_JOB_ITEMS: '50',
    RUN_LEASE_TTL_MS: '3000',
    SEED_SAMPLES: 'false',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    // The test creates 600 test cases through one API; restarts need no drain period.
    RATE_LIMIT_WRITES: '0',
    SHUTDOWN_DRAIN_MS: '0',
  });
  let workerCount = 0;
  async function start(kind: 'api' | 'worker'): Promise<Child> {
    const child =
      kind === 'api'
        ? startMain({ ...env(), PORT: '0', RUN_EXECUTION: 'api' })
        : startMain(
            { ...env(models[workerCount++]), WORKER_PORT: '0' },
            undefined,
            'src/worker.ts',
          );
    const started = Object.assign(child, { baseUrl: await child.url(60_000) });
    children.push(started);
    return started;
  }
  async function stop(child: Child, signal: NodeJS.Signals): Promise<void> {
    if (child.child.exitCode === null) child.child.kill(signal);
    await child.exited;
  }

  before(async () => {
    if (skip !== undefined) return;
    const setup = new pg.Client({ connectionString: POSTGRES_URL });
    await setup.connect();
    await setup.query(`create schema if not exists ${schema}`);
    await setup.end();
    models = await Promise.all([0, 1, 2].map(() => startWireServer('openai')));
    for (const model of models) model.latencyMs = 50;
    // The first process creates the schema's tables; the others find them migrated.
    apiA = await start('api');
    [apiB, ...workers] = await Promise.all([
      start('api'),
      start('worker'),
      start('worker'),
      start('worker'),
    ]);
  });
  after(async () => {
    if (skip !== undefined) return;
    await Promise.all(children.map((child) => stop(child, 'SIGTERM')));
    for (const model of models) await model.close();
  });

  const chats = (model: WireServer) =>
    model.requests
      .filter((r) => r.path === '/v1/chat/completions')
      .map((r) => (r.body as { messages: { content: string }[] }).messages.at(-1)?.content ?? '');
  const chatCalls = () => models.reduce((sum, model) => sum + chats(model).length, 0);
  async function storedPrompts(url: string, runId: string): Promise<Set<string>> {
    const prompts = new Set<string>();
    for (let offset = 0; ; offset += 500) {
      const page = (
        await request(url, 'GET', `/api/runs/${runId}/results?limit=500&offset=${offset}`)
      ).body;
      for (const r of page.items as { rendered_prompt: string }[]) prompts.add(r.rendered_prompt);
      if (page.items.length < 500) return prompts;
    }
  }

  async function cardWith(items: number, url: string): Promise<string> {
    const card = await request(url, 'POST', '/api/prompt-cards', {
      title: 'Scale',
      prompt_template: 'Say {{word}}',
    });
    assert.equal(card.status, 201, card.text);
    for (let i = 0; i < items; i += 1) {
      const tc = await request(url, 'POST', `/api/prompt-cards/${card.body.id}/test-cases`, {
        name: `c${i}`,
        input_variables: { word: `w${i}` },
      });
      assert.equal(tc.status, 201, tc.text);
    }
    return card.body.id as string;
  }

  function subscribe(
    url: string,
    runId: string,
  ): Promise<{ events: Event[]; finished: Promise<void>; close(): void }> {
    const socket = new WebSocket(`${url.replace('http', 'ws')}/ws`);
    const events: Event[] = [];
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    socket.on('message', (data: Buffer) => {
      const event = JSON.parse(data.toString('utf8'));
      events.push(event);
      if (event.type === 'run.finished') done();
    });
    return new Promise((resolve, reject) => {
      socket.on('error', reject);
      socket.on('open', () => {
        socket.send(JSON.stringify({ type: 'subscribe', run_id: runId, since: 0 }));
        resolve({ events, finished, close: () => socket.close() });
      });
    });
  }

  async function metricSum(urls: string[], name: string): Promise<number> {
    let total = 0;
    for (const url of urls) {
      const text = (await request(url, 'GET', '/api/metrics')).text;
      const value = new RegExp(`^${name} ([\\d.e+-]+)$`, 'm').exec(text)?.[1];
      total += Number(value ?? 0);
    }
    return total;
  }

  it(
    '600 items survive a restarted API and a killed worker: completed, one result per item',
    { skip, timeout: 180_000 },
    async () => {
      const cardId = await cardWith(600, apiA.baseUrl);
      const calls = chatCalls();
      const run = await request(apiA.baseUrl, 'POST', `/api/prompt-cards/${cardId}/runs`, {
        models: ['openai:alpha'],
        concurrency: 4,
      });
      assert.equal(run.status, 202, run.text);
      const runId = run.body.id as string;
      const progress = async () => (await request(apiA.baseUrl, 'GET', `/api/runs/${runId}`)).body;
      await waitFor(
        '30 results',
        async () => ((await progress()).progress.completed >= 30 ? true : undefined),
        60_000,
      );

      const victim = workers[0];
      await stop(victim, 'SIGKILL');
      workers = workers.slice(1);
      // In flight in the killed worker: items it called whose result was not stored when it died.
      const stored = await storedPrompts(apiA.baseUrl, runId);
      const killedInFlight = new Set(chats(models[0]).filter((p) => !stored.has(p))).size;

      await stop(apiB, 'SIGTERM');
      apiB = await start('api');
      // Its start-up recovery leaves the run to the workers (it used to mark it interrupted).
      assert.ok(['running', 'completed'].includes((await progress()).status as string));

      const socket = await subscribe(apiB.baseUrl, runId);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        socket.finished,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('no run.finished on API B')), 120_000);
        }),
      ]);
      clearTimeout(timer);
      socket.close();

      const final = await progress();
      assert.equal(final.status, 'completed');
      const results: { id: string; test_case_id: string; model: string; repetition: number }[] = [];
      for (let offset = 0; ; offset += 500) {
        const page = (
          await request(
            apiA.baseUrl,
            'GET',
            `/api/runs/${runId}/results?limit=500&offset=${offset}`,
          )
        ).body;
        results.push(...page.items);
        if (page.items.length < 500) break;
      }
      assert.equal(results.length, 600);
      assert.equal(
        new Set(results.map((r) => `${r.test_case_id}|${r.model}|${r.repetition}`)).size,
        600,
      );
      const duplicates = chatCalls() - calls - 600;
      assert.ok(duplicates >= 0);
      assert.ok(
        duplicates <= killedInFlight,
        `${duplicates} duplicate calls; the killed worker had ${killedInFlight} in flight`,
      );
      const seen = new Set(
        socket.events.filter((e) => e.type === 'result').map((e) => e.result.id as string),
      );
      assert.equal(seen.size, 600, 'API B delivered every result, replayed or live');
      const takeovers = await metricSum(
        workers.map((w) => w.baseUrl),
        'run_lease_takeovers_total',
      );
      assert.ok(takeovers >= 1, `takeovers: ${takeovers}`);
    },
  );

  it(
    'cancel from API B while workers execute: cancelled within 2 s, nothing stored after, never changes',
    { skip, timeout: 120_000 },
    async () => {
      const cardId = await cardWith(200, apiA.baseUrl);
      const run = await request(apiA.baseUrl, 'POST', `/api/prompt-cards/${cardId}/runs`, {
        models: ['openai:alpha'],
        concurrency: 6,
      });
      const runId = run.body.id as string;
      await waitFor(
        '20 results',
        async () =>
          (await request(apiB.baseUrl, 'GET', `/api/runs/${runId}`)).body.progress.completed >= 20
            ? true
            : undefined,
        60_000,
      );
      const started = Date.now();
      const cancelled = await request(apiB.baseUrl, 'POST', `/api/runs/${runId}/cancel`);
      const tookMs = Date.now() - started;
      assert.equal(cancelled.status, 200, cancelled.text);
      assert.equal(cancelled.body.status, 'cancelled');
      assert.ok(tookMs < 2000, `cancel took ${tookMs} ms`);
      const stored = (await request(apiB.baseUrl, 'GET', `/api/runs/${runId}/results?limit=1`)).body
        .total as number;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const later = await request(apiA.baseUrl, 'GET', `/api/runs/${runId}`);
      assert.equal(later.body.status, 'cancelled');
      assert.equal(
        (await request(apiA.baseUrl, 'GET', `/api/runs/${runId}/results?limit=1`)).body.total,
        stored,
      );
    },
  );
});
