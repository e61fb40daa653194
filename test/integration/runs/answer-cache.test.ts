import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCardWithCases, untilFinished } from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

describe('the answer cache (in process)', () => {
  let model: WireServer;
  let server: TestServer;
  before(async () => {
    model = await startWireServer('openai');
    server = await startTestServer({
      OPENAI_BASE_URL: model.url,
      PROVIDER_MAX_RETRIES: '0',
    });
  });
  after(async () => {
    await server.dispose();
    await model.close();
  });

  const chatCalls = () => model.requests.filter((r) => r.path === '/v1/chat/completions').length;
  async function run(cardId: string, body: Record<string, unknown>) {
    const created = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['openai:alpha'],
      ...body,
    });
    assert.equal(created.status, 202, created.text);
    await untilFinished(server, created.body.id as string);
    const results = await server.request('GET', `/api/runs/${created.body.id as string}/results`);
    return {
      run: (await server.request('GET', `/api/runs/${created.body.id as string}`)).body,
      results: results.body.items as {
        test_case_id: string;
        output: string | null;
        cached: boolean;
        error: unknown;
      }[],
    };
  }

  it('a repeated run with cache on answers identically without a model call, and says so', async () => {
    const cardId = await createCardWithCases(server, 4);
    const first = await run(cardId, { cache: true });
    assert.equal(first.run.cache, true);
    assert.ok(first.results.every((r) => !r.cached));
    const calls = chatCalls();
    const second = await run(cardId, { cache: true });
    assert.equal(chatCalls(), calls, 'no model call');
    assert.ok(second.results.every((r) => r.cached));
    const outputs = (rs: typeof first.results) =>
      Object.fromEntries(rs.map((r) => [r.test_case_id, r.output]));
    assert.deepEqual(outputs(second.results), outputs(first.results));
    const metrics = (await server.request('GET', '/api/metrics')).text;
    assert.match(metrics, /^model_answer_cache_requests_total\{outcome="hit"\} 4$/m);
    assert.match(metrics, /^model_answer_cache_requests_total\{outcome="miss"\} 4$/m);
  });

  it('without cache (the default) every run calls the model', async () => {
    const cardId = await createCardWithCases(server, 2);
    await run(cardId, { cache: true });
    const calls = chatCalls();
    const again = await run(cardId, {});
    assert.equal(again.run.cache, false);
    assert.equal(chatCalls() - calls, 2);
    assert.ok(again.results.every((r) => !r.cached));
  });

  it('never caches an error', async () => {
    // A prompt no earlier test cached.
    const card = await server.request('POST', '/api/prompt-cards', {
      title: 'Fresh',
      prompt_template: 'Never asked before: {{word}}',
    });
    const cardId = card.body.id as string;
    await server.request('POST', `/api/prompt-cards/${cardId}/test-cases`, {
      name: 'only',
      input_variables: { word: 'x' },
    });
    model.faults.push({ kind: 'status', status: 500 });
    const failed = await run(cardId, { cache: true });
    assert.notEqual(failed.results[0]?.error, null);
    const calls = chatCalls();
    const retried = await run(cardId, { cache: true });
    assert.equal(chatCalls() - calls, 1, 'the model was asked again');
    assert.equal(retried.results[0]?.error, null);
    assert.equal(retried.results[0]?.cached, false);
  });
});
