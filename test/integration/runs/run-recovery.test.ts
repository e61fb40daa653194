import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startMain } from '../../support/main-process.js';
import { createCardWithCases, untilFinished, waitFor } from '../../support/run-helpers.js';
import { tempDir } from '../../support/temp-dir.js';
import { request, startTestServer, type TestServer } from '../../support/test-server.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

describe('runs survive crashes and shutdowns', () => {
  let model: WireServer;
  before(async () => {
    model = await startWireServer('openai');
  });
  after(() => model.close());

  it('a crash mid-run leaves it interrupted with its results; resume runs only what is missing', async () => {
    const dir = tempDir();
    const env = {
      OPENAI_BASE_URL: model.url,
      PROVIDER_RETRY_BASE_DELAY_MS: '5',
      SEED_SAMPLES: 'false',
    };
    const databaseUrl = `sqlite:${join(dir.path, 'runs.db')}`;
    try {
      model.latencyMs = 150;
      const main = startMain(
        { ...env, PORT: '0', DATABASE_URL: databaseUrl, LOG_LEVEL: 'info' },
        dir.path,
      );
      const url = await main.url();
      const card = await request(url, 'POST', '/api/prompt-cards', {
        title: 'Echo',
        prompt_template: 'Say {{word}}',
      });
      for (let i = 0; i < 10; i++) {
        await request(url, 'POST', `/api/prompt-cards/${card.body.id}/test-cases`, {
          name: `c${i}`,
          input_variables: { word: `w${i}` },
        });
      }
      const run = await request(url, 'POST', `/api/prompt-cards/${card.body.id}/runs`, {
        models: ['openai:alpha'],
        concurrency: 2,
      });
      const runId = run.body.id as string;
      await waitFor('three results', async () =>
        (await request(url, 'GET', `/api/runs/${runId}`)).body.progress.completed >= 3
          ? true
          : undefined,
      );
      main.child.kill('SIGKILL');
      await main.exited;
      const requestsBeforeResume = model.requests.filter(
        (r) => r.path === '/v1/chat/completions',
      ).length;

      const server = await startTestServer({ ...env, DATABASE_URL: databaseUrl }, dir.path);
      try {
        const interrupted = (await server.request('GET', `/api/runs/${runId}`)).body;
        assert.equal(interrupted.status, 'interrupted');
        const kept = (await server.request('GET', `/api/runs/${runId}/results`)).body.items as {
          id: string;
          test_case_id: string;
        }[];
        assert.equal(kept.length, interrupted.progress.completed);
        assert.ok(kept.length >= 3 && kept.length < 10);

        model.latencyMs = 5;
        const resumed = await server.request('POST', `/api/runs/${runId}/resume`);
        assert.equal(resumed.status, 202, resumed.text);
        await untilFinished(server, runId);
        const final = (await server.request('GET', `/api/runs/${runId}`)).body;
        assert.equal(final.status, 'completed');
        const all = (await server.request('GET', `/api/runs/${runId}/results`)).body.items as {
          id: string;
          test_case_id: string;
        }[];
        assert.equal(all.length, 10);
        assert.equal(new Set(all.map((r) => r.test_case_id)).size, 10);
        for (const result of kept)
          assert.ok(
            all.some((r) => r.id === result.id),
            'a finished result was replaced',
          );
        const calledOnResume =
          model.requests.filter((r) => r.path === '/v1/chat/completions').length -
          requestsBeforeResume;
        assert.equal(
          calledOnResume,
          10 - kept.length,
          'resume called the model for finished items',
        );
      } finally {
        await server.stop();
      }
    } finally {
      dir.remove();
    }
  });

  it('a graceful shutdown lets in-flight calls finish until the deadline and marks the run interrupted', async () => {
    model.latencyMs = 100;
    const chatCalls = () => model.requests.filter((r) => r.path === '/v1/chat/completions').length;
    const callsBefore = chatCalls();
    const server: TestServer = await startTestServer({
      OPENAI_BASE_URL: model.url,
      SHUTDOWN_TIMEOUT_MS: '2000',
    });
    try {
      const cardId = await createCardWithCases(server, 20);
      const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
        models: ['openai:alpha'],
        concurrency: 2,
      });
      await waitFor('a first result', async () =>
        (await server.request('GET', `/api/runs/${run.body.id}`)).body.progress.completed >= 1
          ? true
          : undefined,
      );
      await server.stop();
      const startedBeforeShutdown = chatCalls() - callsBefore;
      const reopened = await startTestServer({ OPENAI_BASE_URL: model.url }, server.dataDir);
      try {
        const after = (await reopened.request('GET', `/api/runs/${run.body.id}`)).body;
        assert.equal(after.status, 'interrupted');
        // Every call that had started before the shutdown finished and was recorded.
        assert.equal(after.progress.completed, startedBeforeShutdown);
        assert.ok(after.progress.completed < 20);
      } finally {
        await reopened.dispose();
      }
    } finally {
      await server.dispose();
    }
  });
});
