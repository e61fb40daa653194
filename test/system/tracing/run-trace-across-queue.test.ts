/**
 * One trace per run across the shared queue: an API process accepts a run (RUN_EXECUTION=api),
 * a worker process executes it, both exporting to one OTLP receiver; the worker's `run.job`
 * spans are in the trace of the API's `POST …/runs` span. Needs PostgreSQL and Redis (fails
 * under REQUIRE_SYSTEM=1 without them).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startMain } from '../../support/main-process.js';
import { startOtlpReceiver, type OtlpReceiver } from '../../support/otlp-receiver.js';
import { requirePostgres, throwawaySchema } from '../../support/postgres-schema.js';
import { REDIS_URL, requireRedis, throwawayRedisPrefix } from '../../support/redis.js';
import { waitFor } from '../../support/run-helpers.js';
import { POSTGRES_URL } from '../../support/system.js';
import { request } from '../../support/test-server.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

const schema = throwawaySchema();
const prefix = throwawayRedisPrefix();

describe('the trace of a run crosses the queue', async () => {
  const skip = (await requirePostgres()) ?? (await requireRedis());
  let receiver: OtlpReceiver;
  let model: WireServer;
  before(async () => {
    if (skip !== undefined) return;
    const setup = new pg.Client({ connectionString: POSTGRES_URL });
    await setup.connect();
    await setup.query(`create schema if not exists ${schema}`);
    await setup.end();
    receiver = await startOtlpReceiver();
    model = await startWireServer('openai');
  });
  after(async () => {
    if (skip !== undefined) return;
    await receiver.close();
    await model.close();
  });

  it(
    "the worker's job spans are in the API's POST …/runs trace",
    { skip, timeout: 120_000 },
    async () => {
      const env = {
        DATABASE_URL: `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}`,
        OPENAI_BASE_URL: model.url,
        REDIS_URL,
        RUN_QUEUE: 'redis',
        RUN_QUEUE_PREFIX: prefix,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        TRACE_FLUSH_INTERVAL_MS: '100',
        SEED_SAMPLES: 'false',
        HOST: '127.0.0.1',
      };
      const api = startMain({ ...env, PORT: '0', RUN_EXECUTION: 'api' });
      const base = await api.url(60_000);
      const worker = startMain({ ...env, WORKER_PORT: '0' }, undefined, 'src/worker.ts');
      try {
        await worker.url(60_000);
        const card = await request(base, 'POST', '/api/prompt-cards', {
          title: 'Traced',
          prompt_template: 'Say {{word}}',
        });
        assert.equal(card.status, 201, card.text);
        const tc = await request(base, 'POST', `/api/prompt-cards/${card.body.id}/test-cases`, {
          name: 'one',
          input_variables: { word: 'hi' },
        });
        assert.equal(tc.status, 201, tc.text);
        const run = await request(base, 'POST', `/api/prompt-cards/${card.body.id}/runs`, {
          models: ['openai:alpha'],
        });
        assert.equal(run.status, 202, run.text);
        const post = await waitFor('the POST …/runs span', () =>
          receiver.spans.find((s) => s.name === 'POST /api/prompt-cards/:id/runs'),
        );
        const job = await waitFor(
          'a run.job span',
          () => receiver.spans.find((s) => s.name === 'run.job'),
          60_000,
        );
        assert.equal(job.traceId, post.traceId, 'the job continues the request trace');
      } finally {
        worker.child.kill('SIGTERM');
        api.child.kill('SIGTERM');
        await Promise.all([worker.exited, api.exited]);
      }
    },
  );
});
