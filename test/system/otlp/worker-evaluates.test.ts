/**
 * Scaled out on PostgreSQL: the API only receives (ONLINE_EVAL_IN_PROCESS=false) and stores
 * the sampled spans before answering; a worker process's `otlp` module judges them. Needs
 * PostgreSQL and Redis (the worker's run queue); fails under REQUIRE_SYSTEM=1 without them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningWorker } from '../../../src/worker-server.js';
import { requirePostgres, throwawaySchema } from '../../support/postgres-schema.js';
import { REDIS_URL, requireRedis, throwawayRedisPrefix } from '../../support/redis.js';
import { startReplica } from '../../support/replica.js';
import type { TestServer } from '../../support/test-server.js';
import { startTestWorker } from '../../support/worker.js';

const schema = throwawaySchema();
const prefix = throwawayRedisPrefix();

describe('online evaluation behind workers', async () => {
  const skip = (await requirePostgres()) ?? (await requireRedis());
  let api: TestServer;
  let worker: RunningWorker | undefined;
  const env = { REDIS_URL, RUN_QUEUE: 'redis', RUN_QUEUE_PREFIX: prefix };

  before(async () => {
    if (skip !== undefined) return;
    api = await startReplica(schema, { ...env, ONLINE_EVAL_IN_PROCESS: 'false' });
  });
  after(async () => {
    if (skip !== undefined) return;
    await worker?.close();
    await api.stop();
  });

  it('the API stores the sampled span, the worker judges it', { skip }, async () => {
    const card = await api.request('POST', '/api/prompt-cards', {
      title: 'Scaled',
      prompt_template: 'Hi',
    });
    const cardId = card.body.id as string;
    await api.request('POST', `/api/prompt-cards/${cardId}/online-rules`, {
      assertions: [{ type: 'contains', value: 'thanks' }],
    });
    const exported = await api.request('POST', '/api/v1/traces', {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  attributes: [
                    { key: 'gen_ai.request.model', value: { stringValue: 'm' } },
                    { key: 'output.value', value: { stringValue: 'thanks a lot' } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    assert.equal(exported.status, 200, exported.text);
    const list = async () =>
      (await api.request('GET', `/api/prompt-cards/${cardId}/online-evaluations`)).body
        .items as Record<string, unknown>[];
    assert.equal((await list())[0]?.status, 'pending', 'the API alone does not judge');
    worker = await startTestWorker(schema, env);
    let item = (await list())[0];
    for (let i = 0; i < 600 && item?.status !== 'done'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      item = (await list())[0];
    }
    assert.equal(item?.status, 'done');
    assert.equal(item.pass, true);
  });
});
