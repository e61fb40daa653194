/**
 * PostgreSQL faults on a cluster this file starts itself (initdb/pg_ctl on a free port, never
 * the machine's server), against the real process (src/main.ts): stopped while requests flow,
 * refusing connections with an idle pool, frozen with SIGSTOP. The service stays up, answers
 * 503 PCS_ERR_DATABASE_UNAVAILABLE within DATABASE_TIMEOUT_MS, `/ready` is 503, and it
 * recovers by itself once the database is back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMain } from '../../support/main-process.js';
import { startOwnPostgres, type OwnPostgres } from '../../support/own-postgres.js';
import { request } from '../../support/test-server.js';

/** A request that must answer: a hang past 15 s fails the test (no timing is measured). */
async function call(url: string, method: string, path: string, body?: unknown) {
  return Promise.race([
    request(url, method, path, body),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${method} ${path} hung`)), 15_000).unref(),
    ),
  ]);
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('PostgreSQL outage', () => {
  let pg: OwnPostgres | undefined;
  let skip: string | undefined;
  let main: ReturnType<typeof startMain> | undefined;
  let url = '';
  const card = { title: 'Outage', prompt_template: 'Hi {{name}}' };

  before(async () => {
    const started = await startOwnPostgres();
    if (typeof started === 'string') {
      skip = started;
      return;
    }
    pg = started;
    main = startMain({
      PORT: '0',
      DATABASE_URL: pg.url,
      SEED_SAMPLES: 'false',
      DATABASE_TIMEOUT_MS: '1000',
      HEALTH_CHECK_TIMEOUT_MS: '2000',
      HEALTH_CACHE_TTL_MS: '0',
      SHUTDOWN_DRAIN_MS: '0',
      LOG_LEVEL: 'info',
    });
    url = await main.url();
  });
  after(() => {
    main?.child.kill('SIGKILL');
    pg?.dispose();
  });

  const expectUnavailable = async () => {
    for (const [method, path, body] of [
      ['GET', '/api/prompt-cards', undefined],
      ['POST', '/api/prompt-cards', card],
      ['GET', '/api/runs/x', undefined],
    ] as const) {
      const response = await call(url, method, path, body);
      assert.equal(response.status, 503, `${method} ${path}: ${response.text}`);
      assert.equal(response.body.error.code, 'PCS_ERR_DATABASE_UNAVAILABLE');
    }
    assert.equal((await call(url, 'GET', '/ready')).status, 503);
    assert.equal((await call(url, 'GET', '/live')).status, 200);
  };
  const expectRecovered = async () => {
    await until('the service to recover', async () => {
      const ready = await call(url, 'GET', '/ready');
      const created = await call(url, 'POST', '/api/prompt-cards', card);
      return ready.status === 200 && created.status === 201;
    });
  };

  it('stays up when PostgreSQL stops while requests flow, answers 503, recovers', async (t) => {
    if (skip !== undefined || pg === undefined || main === undefined) return t.skip(skip);
    assert.equal((await call(url, 'POST', '/api/prompt-cards', card)).status, 201);
    let flowing = true;
    const statuses: (number | string)[] = [];
    const flow = (async () => {
      while (flowing) {
        await call(url, 'GET', '/api/prompt-cards').then(
          (response) => statuses.push(response.status),
          (error: unknown) => statuses.push(String((error as Error).cause ?? error)),
        );
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    pg.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    flowing = false;
    await flow;
    assert.equal(main.child.exitCode, null, `the process exited:\n${main.output().stderr}`);
    assert.deepEqual(
      statuses.filter((s) => s !== 200 && s !== 503),
      [],
      'only 200 or 503 while the database stops',
    );
    await expectUnavailable();
    pg.start();
    await expectRecovered();
  });

  it('answers 503 (not 500) when PostgreSQL refuses connections with an idle pool', async (t) => {
    if (skip !== undefined || pg === undefined || main === undefined) return t.skip(skip);
    assert.equal((await call(url, 'GET', '/api/prompt-cards')).status, 200);
    pg.stop();
    await expectUnavailable();
    assert.equal(main.child.exitCode, null);
    pg.start();
    await expectRecovered();
  });

  it('answers 503 within DATABASE_TIMEOUT_MS when PostgreSQL is frozen, recovers on thaw', async (t) => {
    if (skip !== undefined || pg === undefined || main === undefined) return t.skip(skip);
    assert.equal((await call(url, 'GET', '/api/prompt-cards')).status, 200);
    pg.freeze();
    try {
      await expectUnavailable();
    } finally {
      pg.thaw();
    }
    await expectRecovered();
    assert.equal(main.child.exitCode, null);
  });

  it('pauses a run in flight (interrupted, results kept, resumable) instead of losing it', async (t) => {
    if (skip !== undefined || pg === undefined || main === undefined) return t.skip(skip);
    const created = await call(url, 'POST', '/api/prompt-cards', card);
    const cardId = created.body.id as string;
    for (const name of ['a', 'b', 'c']) {
      const tc = await call(url, 'POST', `/api/prompt-cards/${cardId}/test-cases`, {
        name,
        input_variables: { name },
      });
      assert.equal(tc.status, 201, tc.text);
    }
    const run = await call(url, 'POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['simulated:slow'],
      concurrency: 1,
      repeat: 10,
    });
    assert.equal(run.status, 202, run.text);
    const runId = run.body.id as string;
    const progress = async () => (await call(url, 'GET', `/api/runs/${runId}`)).body;
    await until('a first result', async () => (await progress()).progress.completed >= 1);
    pg.stop();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    pg.start();
    let after: { status: string; progress: { completed: number } } = await progress();
    await until('the run to leave running', async () => {
      after = await progress();
      return after.status !== 'running' && after.status !== 'queued';
    });
    assert.ok(['interrupted', 'completed'].includes(after.status), `status ${after.status}`);
    if (after.status === 'interrupted') {
      assert.ok(after.progress.completed >= 1, 'results from before the outage are kept');
      assert.equal((await call(url, 'POST', `/api/runs/${runId}/resume`)).status, 202);
      await until(
        'the resumed run to complete',
        async () => (await progress()).status === 'completed',
      );
    }
    assert.equal((await progress()).progress.completed, 30);
  });
});
