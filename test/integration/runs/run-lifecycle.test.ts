import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createCardWithCases,
  untilFinished,
  waitFor,
  watchRun,
} from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { startWireServer, tokens, type WireServer } from '../../support/wire-server.js';

describe('runs over HTTP and WebSocket against an OpenAI-wire model', () => {
  let model: WireServer;
  let server: TestServer;
  before(async () => {
    model = await startWireServer('openai');
    server = await startTestServer({
      OPENAI_BASE_URL: model.url,
      OPENAI_API_KEY: 'sk-test',
      GRADER_MODEL: 'openai:alpha',
      MODEL_PRICES: JSON.stringify({ 'openai:alpha': { input: 1, output: 2 } }),
      PROVIDER_RETRY_BASE_DELAY_MS: '5',
      SIMULATED_LATENCY_MS: '5',
      SIMULATED_FAILURE_RATE: '0',
    });
  });
  after(async () => {
    await server.dispose();
    await model.close();
  });

  it('records every result as the model returned it, summarises it, and streams it', async () => {
    model.latencyMs = 20;
    model.answer = (prompt) => (prompt.endsWith('word1') ? 'nothing useful' : `echo: ${prompt}`);
    const cardId = await createCardWithCases(server, 4, [{ type: 'contains', value: 'echo' }]);
    const created = await server.request(
      'POST',
      `/api/prompt-cards/${cardId}/runs`,
      { models: ['openai:alpha', 'simulated:fast'], concurrency: 2 },
      { 'x-user-role': 'Tester' },
    );
    assert.equal(created.status, 202, created.text);
    assert.equal(created.headers.get('location'), `/api/runs/${created.body.id}`);
    assert.equal(created.body.user_category, 'anonymous', 'X-User-Role is not trusted');
    const watcher = await watchRun(server, created.body.id);
    const events = await watcher.finished;
    watcher.close();

    const results = (await server.request('GET', `/api/runs/${created.body.id}/results?limit=100`))
      .body;
    assert.equal(results.total, 8);
    const streamed = events
      .filter((e) => e.type === 'result')
      .map((e) => e.result.id)
      .sort();
    assert.deepEqual(
      streamed,
      results.items.map((r: { id: string }) => r.id).sort(),
      'WebSocket results differ from stored ones',
    );
    assert.equal(events[0].type, 'subscribed');
    assert.equal(events.at(-1).type, 'run.finished');

    for (const r of results.items.filter((x: { model: string }) => x.model === 'openai:alpha')) {
      const expected = r.rendered_prompt.endsWith('word1')
        ? 'nothing useful'
        : `echo: ${r.rendered_prompt}`;
      assert.equal(r.output, expected);
      assert.equal(r.input_tokens, tokens(r.rendered_prompt));
      assert.equal(r.output_tokens, tokens(expected));
      assert.ok(Math.abs(r.cost_usd - (r.input_tokens * 1 + r.output_tokens * 2) / 1e6) < 1e-12);
      assert.equal(r.simulated, false);
      assert.equal(r.passed, expected.includes('echo'));
    }
    for (const r of results.items.filter((x: { model: string }) => x.model === 'simulated:fast')) {
      assert.equal(r.simulated, true);
      assert.equal(r.cost_usd, null);
    }

    const run = (await server.request('GET', `/api/runs/${created.body.id}`)).body;
    assert.equal(run.status, 'completed');
    assert.deepEqual(run.progress, {
      total: 8,
      completed: 8,
      passed: run.progress.passed,
      failed: 8 - run.progress.passed,
      errored: 0,
      not_judged: 0,
      remaining: 0,
    });
    const alpha = run.summary.find((s: { model: string }) => s.model === 'openai:alpha');
    assert.equal(alpha.passed, 3);
    assert.equal(alpha.pass_rate, 0.75);
    const alphaResults = results.items.filter((x: { model: string }) => x.model === 'openai:alpha');
    assert.equal(
      alpha.tokens.output,
      alphaResults.reduce((s: number, r: { output_tokens: number }) => s + r.output_tokens, 0),
    );
    assert.equal(alpha.cost_complete, true);
    assert.ok(alpha.latency_ms.p50 >= 20);
    const simulated = run.summary.find((s: { model: string }) => s.model === 'simulated:fast');
    assert.equal(simulated.simulated, true);
    const listed = (await server.request('GET', `/api/prompt-cards/${cardId}/runs`)).body;
    assert.equal(listed.items[0].id, run.id);
  });

  it('never has more calls in flight than the run concurrency', async () => {
    model.latencyMs = 40;
    model.answer = (p) => `echo: ${p}`;
    const cardId = await createCardWithCases(server, 12);
    const before = model.peakInFlight();
    assert.ok(before <= 2);
    const created = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['openai:alpha'],
      concurrency: 3,
    });
    await untilFinished(server, created.body.id);
    assert.equal(model.peakInFlight(), 3, 'expected exactly 3 calls in flight at the peak');
  });

  it('cancels a run: in-flight calls stop, no result arrives after, status cancelled; resume completes it', async () => {
    model.latencyMs = 150;
    const cardId = await createCardWithCases(server, 10);
    const created = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['openai:alpha'],
      concurrency: 2,
    });
    const runId = created.body.id as string;
    await waitFor('a first result', async () =>
      (await server.request('GET', `/api/runs/${runId}`)).body.progress.completed > 0
        ? true
        : undefined,
    );
    const deleteWhileRunning = await server.request('DELETE', `/api/prompt-cards/${cardId}`);
    assert.equal(deleteWhileRunning.status, 409);
    assert.equal(deleteWhileRunning.body.error.code, 'PCS_ERR_CARD_HAS_ACTIVE_RUN');
    const cancelled = await server.request('POST', `/api/runs/${runId}/cancel`);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');
    const done = cancelled.body.progress.completed as number;
    assert.ok(done < 10);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal((await server.request('GET', `/api/runs/${runId}`)).body.progress.completed, done);
    const again = await server.request('POST', `/api/runs/${runId}/cancel`);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'PCS_ERR_RUN_NOT_CANCELLABLE');

    model.latencyMs = 5;
    const resumed = await server.request('POST', `/api/runs/${runId}/resume`);
    assert.equal(resumed.status, 202, resumed.text);
    await untilFinished(server, runId);
    const final = (await server.request('GET', `/api/runs/${runId}`)).body;
    assert.equal(final.status, 'completed');
    assert.equal(final.progress.completed, 10);
    const results = (await server.request('GET', `/api/runs/${runId}/results`)).body.items as {
      test_case_id: string;
    }[];
    assert.equal(new Set(results.map((r) => r.test_case_id)).size, 10);
    assert.equal((await server.request('POST', `/api/runs/${runId}/resume`)).status, 409);
  });

  it('records test cases deleted before their items ran as invalid_input, early or late in the run', async () => {
    model.latencyMs = 100;
    const cardId = await createCardWithCases(server, 8);
    const cases = (await server.request('GET', `/api/prompt-cards/${cardId}/test-cases?limit=100`))
      .body.items as { id: string; name: string }[];
    const created = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['openai:alpha'],
      concurrency: 1,
    });
    const runId = created.body.id as string;
    await waitFor('a first result', async () =>
      (await server.request('GET', `/api/runs/${runId}`)).body.progress.completed > 0
        ? true
        : undefined,
    );
    await server.request('POST', `/api/runs/${runId}/cancel`);
    const seen = new Set(
      (
        (await server.request('GET', `/api/runs/${runId}/results`)).body.items as {
          test_case_id: string;
        }[]
      ).map((r) => r.test_case_id),
    );
    const missing = cases.filter((c) => !seen.has(c.id));
    // The resumed run loads the cases of its first two items before it starts, the rest after.
    // With those two deleted, the third item asks for its case before that load has begun.
    const deleted = [missing[0], missing[1], missing.at(-1)!];
    for (const testCase of deleted)
      assert.equal((await server.request('DELETE', `/api/test-cases/${testCase.id}`)).status, 204);

    model.latencyMs = 5;
    await server.request('POST', `/api/runs/${runId}/resume`);
    await untilFinished(server, runId);
    const results = (await server.request('GET', `/api/runs/${runId}/results?limit=100`)).body
      .items as { test_case_id: string; error: { type: string } | null }[];
    assert.equal(results.length, 8);
    for (const r of results) {
      const wasDeleted = deleted.some((d) => d.id === r.test_case_id);
      assert.equal(r.error?.type ?? null, wasDeleted ? 'invalid_input' : null, r.test_case_id);
    }
  });

  it('replays missed results to a client that reconnects with the count it has seen', async () => {
    model.latencyMs = 5;
    const cardId = await createCardWithCases(server, 5);
    const created = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['openai:alpha'],
    });
    await untilFinished(server, created.body.id);
    const again = await watchRun(server, created.body.id, 3);
    const events = await again.finished;
    again.close();
    assert.equal(events.filter((e) => e.type === 'result').length, 2);
  });

  it('records provider failures as classified errors on the result', async () => {
    model.latencyMs = 0;
    const cardId = await createCardWithCases(server, 1);
    model.faults.push({ kind: 'status', status: 401 });
    const created = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['openai:alpha'],
    });
    await untilFinished(server, created.body.id);
    const [result] = (await server.request('GET', `/api/runs/${created.body.id}/results`)).body
      .items;
    assert.equal(result.error.type, 'auth');
    assert.equal(result.passed, false);
    assert.equal(result.output, null);
  });

  describe('bad run requests', () => {
    let cardId: string;
    let emptyCardId: string;
    before(async () => {
      cardId = await createCardWithCases(server, 1);
      emptyCardId = await createCardWithCases(server, 0);
    });
    const cases: [string, () => string, unknown, number, string, string[]?][] = [
      [
        'an unknown provider',
        () => `/api/prompt-cards/${cardId}/runs`,
        { models: ['simulated:fast', 'mystery:x'] },
        422,
        'PCS_ERR_PROVIDER_UNKNOWN',
        ['models.1'],
      ],
      [
        'a model id without provider',
        () => `/api/prompt-cards/${cardId}/runs`,
        { models: ['gpt'] },
        422,
        'PCS_ERR_VALIDATION_FAILED',
        ['models.0'],
      ],
      [
        'no models',
        () => `/api/prompt-cards/${cardId}/runs`,
        { models: [] },
        422,
        'PCS_ERR_VALIDATION_FAILED',
        ['models'],
      ],
      [
        'a concurrency over the limit',
        () => `/api/prompt-cards/${cardId}/runs`,
        { models: ['simulated:fast'], concurrency: 10_000 },
        422,
        'PCS_ERR_VALIDATION_FAILED',
        ['concurrency'],
      ],
      [
        'a card without test cases',
        () => `/api/prompt-cards/${emptyCardId}/runs`,
        { models: ['simulated:fast'] },
        409,
        'PCS_ERR_RUN_NO_TEST_CASES',
      ],
      [
        'an unknown card',
        () => '/api/prompt-cards/nope/runs',
        { models: ['simulated:fast'] },
        404,
        'PCS_ERR_CARD_NOT_FOUND',
      ],
    ];
    for (const [name, path, body, status, code, fields] of cases) {
      it(`rejects ${name} with ${status} ${code}`, async () => {
        const res = await server.request('POST', path(), body);
        assert.equal(res.status, status, res.text);
        assert.equal(res.body.error.code, code);
        if (fields !== undefined)
          assert.deepEqual(
            res.body.error.fields.map((f: { field: string }) => f.field),
            fields,
          );
      });
    }
    it('answers 404 for unknown runs on every route', async () => {
      for (const [method, path] of [
        ['GET', '/api/runs/nope'],
        ['GET', '/api/runs/nope/results'],
        ['POST', '/api/runs/nope/cancel'],
        ['POST', '/api/runs/nope/resume'],
      ] as const) {
        const res = await server.request(method, path);
        assert.equal(res.status, 404, path);
        assert.equal(res.body.error.code, 'PCS_ERR_RUN_NOT_FOUND');
      }
    });
  });

  it('counts the grader calls against the run concurrency and records their scores', async () => {
    model.latencyMs = 30;
    // The grader's prompt carries the rubric; the item's prompt does not.
    model.answer = (prompt) =>
      prompt.includes('<rubric>') ? '{"score": 0.75, "reason": "close enough"}' : `echo: ${prompt}`;
    const cardId = await createCardWithCases(server, 8, [
      { type: 'contains', value: 'echo' },
      { type: 'llm-rubric', value: 'Repeats the word' },
    ]);
    model.resetPeakInFlight();
    const created = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['openai:alpha'],
      concurrency: 2,
    });
    assert.equal(created.status, 202, created.text);
    await untilFinished(server, created.body.id);
    // 8 item calls and 8 grader calls, two slots: never more than 2 at once.
    assert.equal(model.peakInFlight(), 2, 'expected exactly 2 calls in flight at the peak');
    const results = (await server.request('GET', `/api/runs/${created.body.id}/results?limit=100`))
      .body;
    assert.equal(results.total, 8);
    for (const r of results.items) {
      assert.equal(r.assertions[1].type, 'llm-rubric');
      assert.equal(r.assertions[1].score, 0.75);
      assert.equal(r.score, (1 + 0.75) / 2);
    }
  });

  it("lists every provider's models, reporting an unreachable one without failing", async () => {
    const res = await server.request('GET', '/api/models');
    assert.equal(res.status, 200);
    const byName = Object.fromEntries(
      res.body.providers.map((p: { provider: string }) => [p.provider, p]),
    );
    assert.deepEqual(byName.openai.models, ['openai:alpha', 'openai:beta:7b']);
    assert.ok(byName.simulated.models.includes('simulated:fast'));
    assert.equal(byName.simulated.simulated, true);
    assert.equal(byName.ollama.error.kind, 'unavailable');
  });
});
