import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OpenAiProvider } from '../../../src/providers/index.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

describe('OpenAI-compatible provider on the wire', () => {
  let server: WireServer;
  before(async () => {
    server = await startWireServer('openai');
  });
  after(() => server.close());

  it('sends the API key as a bearer token and the request in OpenAI form', async () => {
    const provider = new OpenAiProvider(server.url, 'sk-test-key');
    await provider.chat(
      { model: 'alpha', messages: [{ role: 'user', content: 'hi' }], temperature: 0, maxTokens: 5 },
      AbortSignal.timeout(5000),
    );
    const request = server.requests.at(-1);
    assert.equal(request?.path, '/v1/chat/completions');
    assert.equal(request?.headers.authorization, 'Bearer sk-test-key');
    assert.deepEqual(request?.body, {
      model: 'alpha',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0,
      max_tokens: 5,
    });
  });

  it('accepts a base URL with or without /v1', async () => {
    for (const base of [server.url, `${server.url}/v1`, `${server.url}/v1/`]) {
      const models = await new OpenAiProvider(base, undefined).listModels(
        AbortSignal.timeout(5000),
      );
      assert.deepEqual(models, ['alpha', 'beta:7b']);
    }
  });

  it('keeps the API key out of error messages', async () => {
    server.faults.push({ kind: 'status', status: 401, body: '{"error":"bad key"}' });
    const provider = new OpenAiProvider(server.url, 'sk-secret-value');
    await assert.rejects(
      provider.chat(
        { model: 'alpha', messages: [{ role: 'user', content: 'hi' }] },
        AbortSignal.timeout(5000),
      ),
      (error: Error) => !error.message.includes('sk-secret-value'),
    );
  });
});
