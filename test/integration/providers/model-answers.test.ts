/**
 * Answers real servers give that are odd but common: missing or malformed token counts,
 * errors sent with HTTP 200, and retried failures. Against the loopback Ollama-wire and
 * OpenAI-wire servers, through the providers and through a whole run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OllamaProvider, OpenAiProvider, ProviderError } from '../../../src/providers/index.js';
import { parseExposition } from '../../support/exposition.js';
import { createCardWithCases, untilFinished } from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

const hi = [{ role: 'user' as const, content: 'hi' }];
const openAiAnswer = (usage: unknown) => () => ({
  object: 'chat.completion',
  model: 'alpha',
  choices: [{ index: 0, message: { role: 'assistant', content: 'the answer' } }],
  ...(usage === undefined ? {} : { usage }),
});

describe('odd model answers', () => {
  let openai: WireServer;
  let ollama: WireServer;
  let server: TestServer;
  before(async () => {
    openai = await startWireServer('openai');
    ollama = await startWireServer('ollama');
    server = await startTestServer({
      OPENAI_BASE_URL: openai.url,
      OLLAMA_BASE_URL: ollama.url,
      PROVIDER_MAX_RETRIES: '3',
      PROVIDER_RETRY_BASE_DELAY_MS: '1',
    });
  });
  after(async () => {
    await server.dispose();
    await openai.close();
    await ollama.close();
  });
  const signal = () => AbortSignal.timeout(5000);

  it('keeps an OpenAI answer whose usage lacks a count or has non-numbers; unknown is null', async () => {
    const provider = new OpenAiProvider(openai.url, undefined);
    try {
      openai.chatBody = openAiAnswer({ completion_tokens: 25 });
      const partial = await provider.chat({ model: 'alpha', messages: hi }, signal());
      assert.equal(partial.output, 'the answer');
      assert.equal(partial.inputTokens, null);
      assert.equal(partial.outputTokens, 25);
      for (const usage of [
        { prompt_tokens: '12', completion_tokens: -1 },
        { prompt_tokens: 1.5, completion_tokens: null },
        null,
        'lots',
        undefined,
      ]) {
        openai.chatBody = openAiAnswer(usage);
        const call = await provider.chat({ model: 'alpha', messages: hi }, signal());
        assert.equal(call.output, 'the answer', JSON.stringify(usage));
        assert.equal(call.inputTokens, null, JSON.stringify(usage));
        assert.equal(call.outputTokens, null, JSON.stringify(usage));
      }
    } finally {
      openai.chatBody = undefined;
    }
  });

  it('keeps an Ollama answer whose counts are missing or not numbers', async () => {
    const provider = new OllamaProvider(ollama.url);
    try {
      ollama.chatBody = () => ({
        model: 'alpha',
        message: { role: 'assistant', content: 'the answer' },
        done: true,
        prompt_eval_count: 'n/a',
      });
      const call = await provider.chat({ model: 'alpha', messages: hi }, signal());
      assert.equal(call.output, 'the answer');
      assert.equal(call.inputTokens, null);
      assert.equal(call.outputTokens, null);
    } finally {
      ollama.chatBody = undefined;
    }
  });

  it('reports tokens of a run without usage as unknown and exports no token rate', async () => {
    const cardId = await createCardWithCases(server, 2, [{ type: 'contains', value: 'answer' }]);
    openai.chatBody = openAiAnswer(undefined);
    try {
      const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
        models: ['openai:alpha'],
      });
      await untilFinished(server, run.body.id as string);
      const done = await server.request('GET', `/api/runs/${run.body.id}`);
      const [summary] = done.body.summary;
      assert.equal(summary.passed, 2);
      assert.deepEqual(summary.tokens, { input: null, output: null });
      assert.equal(summary.tokens_complete, false);
      const metrics = parseExposition((await server.request('GET', '/api/metrics')).text);
      const tokenFigures = metrics.samples.filter(
        (s) =>
          s.labels.model === 'openai:alpha' ||
          s.labels.service === 'openai:alpha' ||
          s.labels.gen_ai_request_model === 'alpha',
      );
      assert.ok(tokenFigures.length > 0, 'the run was measured');
      for (const sample of tokenFigures) {
        assert.notEqual(sample.labels.metric_type, 'output_tokens_per_second');
        assert.notEqual(sample.labels.resource_type, 'tokens');
        assert.ok(!sample.name.startsWith('gen_ai_client_token_usage'), sample.name);
      }
    } finally {
      openai.chatBody = undefined;
    }
  });

  it('classifies an error sent with HTTP 200 as bad_request and keeps its message', async () => {
    const provider = new OpenAiProvider(openai.url, undefined);
    openai.chatBody = () => ({
      object: 'error',
      message: 'The model x does not exist.',
      type: 'NotFoundError',
      code: 404,
    });
    const ollamaProvider = new OllamaProvider(ollama.url);
    ollama.chatBody = () => ({ error: "model 'x' not found" });
    try {
      await assert.rejects(
        provider.chat({ model: 'x', messages: hi }, signal()),
        (error: unknown) =>
          error instanceof ProviderError &&
          error.kind === 'bad_request' &&
          error.message === 'The model x does not exist.',
      );
      await assert.rejects(
        ollamaProvider.chat({ model: 'x', messages: hi }, signal()),
        (error: unknown) =>
          error instanceof ProviderError &&
          error.kind === 'bad_request' &&
          error.message === "model 'x' not found",
      );
      const cardId = await createCardWithCases(server, 1);
      const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
        models: ['openai:alpha'],
      });
      await untilFinished(server, run.body.id as string);
      const results = await server.request('GET', `/api/runs/${run.body.id}/results`);
      assert.deepEqual(results.body.items[0].error, {
        type: 'bad_request',
        message: 'The model x does not exist.',
      });
      assert.equal(results.body.items[0].attempts, 1, 'bad_request is not retried');
    } finally {
      openai.chatBody = undefined;
      ollama.chatBody = undefined;
    }
  });

  it('keeps the server message of an HTTP error body, not the raw JSON', async () => {
    openai.faults.push({
      kind: 'status',
      status: 400,
      body: JSON.stringify({ error: { message: 'max_tokens is too large', type: 'invalid' } }),
    });
    await assert.rejects(
      new OpenAiProvider(openai.url, undefined).chat({ model: 'alpha', messages: hi }, signal()),
      (error: unknown) =>
        error instanceof ProviderError && error.message === 'HTTP 400: max_tokens is too large',
    );
  });

  it('records the real number of attempts of an errored result', async () => {
    const cardId = await createCardWithCases(server, 1);
    for (let i = 0; i < 4; i++) ollama.faults.push({ kind: 'status', status: 503 });
    const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['ollama:alpha'],
    });
    await untilFinished(server, run.body.id as string);
    const results = await server.request('GET', `/api/runs/${run.body.id}/results`);
    const [result] = results.body.items;
    assert.equal(result.error.type, 'unavailable');
    assert.equal(result.attempts, 4, 'one call and three retries');

    for (let i = 0; i < 2; i++) ollama.faults.push({ kind: 'status', status: 503 });
    const second = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['ollama:alpha'],
    });
    await untilFinished(server, second.body.id as string);
    const answered = await server.request('GET', `/api/runs/${second.body.id}/results`);
    assert.equal(answered.body.items[0].error, null);
    assert.equal(answered.body.items[0].attempts, 3);
  });
});
