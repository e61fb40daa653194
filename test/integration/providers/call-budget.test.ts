/**
 * One budget bounds a model call, attempts and Retry-After waits together
 * (PROVIDER_CALL_BUDGET_MS, default PROVIDER_TIMEOUT_MS × (PROVIDER_MAX_RETRIES + 1)).
 * Against the loopback OpenAI-wire server, through whole runs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCardWithCases, untilFinished } from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

describe('the call budget', () => {
  let wire: WireServer;
  before(async () => {
    wire = await startWireServer('openai');
  });
  after(() => wire.close());

  async function runOne(server: TestServer) {
    const cardId = await createCardWithCases(server, 1);
    const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['openai:alpha'],
    });
    await untilFinished(server, run.body.id as string);
    const results = await server.request('GET', `/api/runs/${run.body.id}/results`);
    return results.body.items[0];
  }

  it('ends an item rate_limited at once when Retry-After is beyond the budget', async () => {
    const server = await startTestServer({
      OPENAI_BASE_URL: wire.url,
      PROVIDER_TIMEOUT_MS: '1500',
      PROVIDER_MAX_RETRIES: '2',
    });
    try {
      wire.faults.push({ kind: 'status', status: 429, retryAfter: '30' });
      const chats = () => wire.requests.filter((r) => r.path === '/v1/chat/completions').length;
      const before = chats();
      const result = await runOne(server);
      assert.equal(result.error.type, 'rate_limited');
      assert.match(result.error.message, /would exceed the call budget/);
      assert.equal(result.attempts, 1);
      assert.equal(chats() - before, 1, 'no retry after the refused wait');
    } finally {
      await server.dispose();
    }
  });

  it('cuts the last attempt short at the end of the budget', async () => {
    const server = await startTestServer({
      OPENAI_BASE_URL: wire.url,
      PROVIDER_TIMEOUT_MS: '1000',
      PROVIDER_MAX_RETRIES: '5',
      PROVIDER_CALL_BUDGET_MS: '1500',
      PROVIDER_RETRY_BASE_DELAY_MS: '1',
    });
    try {
      for (let i = 0; i < 6; i++) wire.faults.push({ kind: 'hang' });
      const result = await runOne(server);
      assert.equal(result.error.type, 'timeout');
      assert.equal(result.attempts, 2, 'a full attempt, then the rest of the budget');
      assert.match(result.error.message, /call budget of 1500 ms/);
    } finally {
      wire.faults.length = 0;
      await server.dispose();
    }
  });
});
