/**
 * Two API replicas on one PostgreSQL database (schema), each executing runs in process: what
 * used to break when a second instance started, cancelled, deleted or resumed while the first
 * one executed a run. Needs PostgreSQL (fails under REQUIRE_SYSTEM=1 without it).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectDatabase, type DatabaseHandle } from '../../../src/db/index.js';
import { requirePostgres, throwawaySchema } from '../../support/postgres-schema.js';
import { startReplica } from '../../support/replica.js';
import { createCardWithCases, waitFor } from '../../support/run-helpers.js';
import { POSTGRES_URL } from '../../support/system.js';
import type { TestServer } from '../../support/test-server.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

const schema = throwawaySchema();

describe('several API replicas on one PostgreSQL database', async () => {
  const skip = await requirePostgres();
  let model: WireServer;
  let a: TestServer;
  let b: TestServer | undefined;
  let db: DatabaseHandle;
  const env = () => ({ OPENAI_BASE_URL: model.url, PROVIDER_RETRY_BASE_DELAY_MS: '5' });

  before(async () => {
    if (skip !== undefined) return;
    model = await startWireServer('openai');
    model.latencyMs = 50;
    a = await startReplica(schema, env());
    db = await connectDatabase(POSTGRES_URL, { postgresSchema: schema });
  });
  after(async () => {
    if (skip !== undefined) return;
    await b?.stop();
    await a.stop();
    await db.close();
    await model.close();
  });

  const chatCalls = () => model.requests.filter((r) => r.path === '/v1/chat/completions').length;

  /** Starts a run of `items` items on A (concurrency 2) and waits until 3 results exist. */
  async function runOnA(items: number): Promise<{ runId: string; cardId: string }> {
    const cardId = await createCardWithCases(a, items);
    const run = await a.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['openai:alpha'],
      concurrency: 2,
    });
    assert.equal(run.status, 202, run.text);
    const runId = run.body.id as string;
    await waitFor('three results', async () =>
      (await a.request('GET', `/api/runs/${runId}`)).body.progress.completed >= 3
        ? true
        : undefined,
    );
    return { runId, cardId };
  }

  async function restartB(): Promise<TestServer> {
    await b?.stop();
    b = await startReplica(schema, env());
    return b;
  }

  async function finalStatus(runId: string): Promise<string> {
    return waitFor('the run to finish', async () => {
      const run = (await a.request('GET', `/api/runs/${runId}`)).body;
      return ['queued', 'running'].includes(run.status as string)
        ? undefined
        : (run.status as string);
    });
  }

  it(
    'starting another replica leaves the run the first executes running, and it completes once',
    { skip },
    async () => {
      const calls = chatCalls();
      const { runId } = await runOnA(30);
      const replica = await restartB();
      assert.equal((await replica.request('GET', `/api/runs/${runId}`)).body.status, 'running');
      assert.equal(await finalStatus(runId), 'completed');
      const results = (await a.request('GET', `/api/runs/${runId}/results?limit=500`)).body;
      assert.equal(results.total, 30);
      assert.equal(chatCalls() - calls, 30, 'one model call per item');
    },
  );

  it(
    'cancel on another replica stops the executing one; the status stays cancelled',
    { skip },
    async () => {
      const { runId } = await runOnA(40);
      const replica = await restartB();
      const cancelled = await replica.request('POST', `/api/runs/${runId}/cancel`);
      assert.equal(cancelled.status, 200, cancelled.text);
      assert.equal(cancelled.body.status, 'cancelled');
      // The executing replica stopped before the answer: nothing is stored afterwards.
      assert.equal(a.running.engine.activeRunCount(), 0);
      const stored = cancelled.body.progress.completed as number;
      assert.ok(stored < 40);
      await new Promise((resolve) => setTimeout(resolve, 400));
      const later = (await a.request('GET', `/api/runs/${runId}`)).body;
      assert.equal(later.status, 'cancelled');
      assert.equal(later.progress.completed, stored);
      assert.equal((await replica.request('POST', `/api/runs/${runId}/cancel`)).status, 409);
    },
  );

  it('deleting the card of a running run is refused on every replica', { skip }, async () => {
    const { runId, cardId } = await runOnA(30);
    const replica = await restartB();
    const deleted = await replica.request('DELETE', `/api/prompt-cards/${cardId}`);
    assert.equal(deleted.status, 409, deleted.text);
    assert.equal(deleted.body.error.code, 'PCS_ERR_CARD_HAS_ACTIVE_RUN');
    assert.equal(await finalStatus(runId), 'completed');
    assert.equal((await replica.request('DELETE', `/api/prompt-cards/${cardId}`)).status, 204);
  });

  it(
    'resume on another replica while the run executes is refused; no duplicate model calls',
    { skip },
    async () => {
      const calls = chatCalls();
      const { runId } = await runOnA(30);
      const replica = await restartB();
      const resumed = await replica.request('POST', `/api/runs/${runId}/resume`);
      assert.equal(resumed.status, 409, resumed.text);
      assert.equal(resumed.body.error.code, 'PCS_ERR_RUN_NOT_RESUMABLE');
      assert.equal(await finalStatus(runId), 'completed');
      assert.equal(chatCalls() - calls, 30);
    },
  );

  it(
    'start-up recovery takes only runs whose lease expired, and counts the takeover',
    { skip },
    async () => {
      const cardId = await createCardWithCases(a, 1);
      const base = {
        prompt_card_id: cardId,
        status: 'running',
        models: JSON.stringify(['openai:alpha']),
        test_case_ids: JSON.stringify([]),
        concurrency: 1,
        repeat: 1,
        total_items: 0,
        user_category: 'anonymous',
        created_at: new Date().toISOString(),
        error: null,
        started_at: new Date().toISOString(),
        finished_at: null,
        cache: 0,
      };
      await db.db
        .insertInto('runs')
        .values([
          {
            ...base,
            id: 'expired-lease',
            lease_owner: 'elsewhere/1/a',
            lease_expires_at: Date.now() - 1,
          },
          {
            ...base,
            id: 'live-lease',
            lease_owner: 'elsewhere/2/b',
            lease_expires_at: Date.now() + 60_000,
          },
        ])
        .execute();
      const replica = await restartB();
      assert.equal(
        (await replica.request('GET', '/api/runs/expired-lease')).body.status,
        'interrupted',
      );
      assert.equal((await replica.request('GET', '/api/runs/live-lease')).body.status, 'running');
      const metrics = (await replica.request('GET', '/api/metrics')).text;
      assert.match(metrics, /^run_lease_takeovers_total 1$/m);
      assert.match(metrics, /^run_leases_active [1-9]/m);
      // A live lease also refuses a cancel's successor: the run cannot be resumed while held.
      await db.db.deleteFrom('runs').where('id', 'in', ['expired-lease', 'live-lease']).execute();
    },
  );
});
