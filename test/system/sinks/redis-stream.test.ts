import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { readStream, redisClient, requireRedis } from '../../support/redis-stream-reader.js';
import { createCardWithCases, untilFinished, waitFor } from '../../support/run-helpers.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const FAST_SIMULATED = {
  SIMULATED_LATENCY_MS: '5',
  SIMULATED_LATENCY_JITTER: '0',
  SIMULATED_FAILURE_RATE: '0',
};

describe('run events through the outbox to a real Redis stream', () => {
  let skip: string | undefined;
  let client: Redis;
  let proxy: TcpProxy;
  const key = `pcs-test:events:${randomBytes(4).toString('hex')}`;
  let server: TestServer;
  before(async () => {
    skip = await requireRedis();
    if (skip !== undefined) return;
    client = redisClient();
    await client.connect();
    proxy = await startTcpProxy('127.0.0.1', 6379);
    server = await startTestServer({
      ...FAST_SIMULATED,
      EVENT_SINK: 'redis-stream',
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      REDIS_STREAM_KEY: key,
      EVENT_OUTBOX_POLL_INTERVAL_MS: '50',
      SINK_RETRY_BASE_DELAY_MS: '20',
      SINK_RETRY_MAX_DELAY_MS: '200',
    });
  });
  after(async () => {
    if (skip !== undefined) return;
    await server.dispose();
    await proxy.close();
    await client.del(key);
    client.disconnect();
  });

  const eventsOf = async (runId: string) =>
    (await readStream(client, key)).filter((e) => e.subject === runId);

  it('writes created, started, one event per result and finished (with the summary), in order', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const cardId = await createCardWithCases(server, 4);
    const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['simulated:fast'],
    });
    await untilFinished(server, run.body.id);
    const events = await waitFor('the finished event', async () => {
      const found = await eventsOf(run.body.id);
      return found.some((e) => e.type === 'com.promptcards.run.finished') ? found : undefined;
    });
    assert.deepEqual(
      events.map((e) => e.type),
      [
        'com.promptcards.run.created',
        'com.promptcards.run.started',
        ...Array(4).fill('com.promptcards.result.recorded'),
        'com.promptcards.run.finished',
      ],
    );
    const results = (await server.request('GET', `/api/runs/${run.body.id}/results`)).body
      .items as { id: string }[];
    assert.deepEqual(
      new Set(events.filter((e) => e.type.endsWith('recorded')).map((e) => e.id)),
      new Set(results.map((r) => r.id)),
    );
    const finished = events.at(-1)!.event;
    assert.equal(finished.id, events.at(-1)!.id);
    assert.equal(finished.specversion, '1.0');
    assert.equal(finished.data.status, 'completed');
    assert.equal(finished.data.summary[0].results, 4);
  });

  it('events of a run made while Redis is unreachable wait in the outbox, are counted, and arrive after', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    await proxy.down();
    const cardId = await createCardWithCases(server, 3);
    const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['simulated:fast'],
    });
    await untilFinished(server, run.body.id);
    const status = (await server.request('GET', `/api/runs/${run.body.id}`)).body.status;
    assert.equal(status, 'completed', 'the run does not wait for the sink');
    await waitFor('a failed delivery to be counted', async () => {
      const text = (await server.request('GET', '/api/metrics')).text;
      return /sink_writes_total\{sink="redis-stream",outcome="failed"\} [1-9]/.test(text)
        ? true
        : undefined;
    });
    const health = (await server.request('GET', '/health/comprehensive')).body;
    const check = (health.checks as { name: string; status: string }[]).find(
      (c) => c.name === 'sink-redis-stream',
    );
    assert.equal(check?.status, 'fail');
    assert.equal(health.status, 'degraded', 'a down sink degrades, never fails, the service');
    assert.equal((await eventsOf(run.body.id)).length, 0);
    const pending = await server.running.eventRelay!.relay.pending();
    assert.equal(pending, 6);

    await proxy.up();
    const events = await waitFor(
      'the events after the outage',
      async () => {
        const found = await eventsOf(run.body.id);
        return found.length >= 6 ? found : undefined;
      },
      30_000,
    );
    assert.deepEqual(
      events.map((e) => e.type),
      [
        'com.promptcards.run.created',
        'com.promptcards.run.started',
        ...Array(3).fill('com.promptcards.result.recorded'),
        'com.promptcards.run.finished',
      ],
    );
    await waitFor('the queue depth to drain', async () =>
      /sink_queue_depth\{sink="redis-stream"\} 0/.test(
        (await server.request('GET', '/api/metrics')).text,
      )
        ? true
        : undefined,
    );
  });
});
