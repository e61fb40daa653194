/**
 * A run names models its provider can list: an unlisted one is a 422 on `models.N` when the
 * run is created, not a run whose every item errors. A provider that cannot list (here Ollama
 * on a closed port) accepts any model and says so in /api/models. OpenAI is the loopback
 * OpenAI-wire server (it lists `alpha` and `beta:7b`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCardWithCases, untilFinished } from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { closedPort, startWireServer, type WireServer } from '../../support/wire-server.js';

describe('models of a new run', () => {
  let wire: WireServer;
  let server: TestServer;
  let cardId: string;
  before(async () => {
    wire = await startWireServer('openai');
    server = await startTestServer({
      OPENAI_BASE_URL: wire.url,
      OLLAMA_BASE_URL: `http://127.0.0.1:${await closedPort()}`,
      PROVIDER_MAX_RETRIES: '0',
    });
    cardId = await createCardWithCases(server, 1);
  });
  after(async () => {
    await server.dispose();
    await wire.close();
  });
  const start = (models: string[]) =>
    server.request('POST', `/api/prompt-cards/${cardId}/runs`, { models });

  it('rejects a model its provider does not list, naming models.N', async () => {
    const before = (await server.request('GET', `/api/prompt-cards/${cardId}/runs`)).body.total;
    const simulated = await start(['simulated:fast', 'simulated:nonexistent']);
    assert.equal(simulated.status, 422, simulated.text);
    assert.equal(simulated.body.error.code, 'PCS_ERR_MODEL_UNKNOWN');
    assert.deepEqual(simulated.body.error.fields, [
      { field: 'models.1', message: 'is not among the models its provider lists' },
    ]);
    const openai = await start(['openai:gamma', 'openai:beta:7b']);
    assert.equal(openai.status, 422, openai.text);
    assert.deepEqual(
      openai.body.error.fields.map((f: { field: string }) => f.field),
      ['models.0'],
    );
    const after = (await server.request('GET', `/api/prompt-cards/${cardId}/runs`)).body.total;
    assert.equal(after, before, 'a rejected request creates no run');
  });

  it('accepts listed models', async () => {
    const run = await start(['simulated:fast', 'openai:beta:7b']);
    assert.equal(run.status, 202, run.text);
    await untilFinished(server, run.body.id as string);
  });

  it('accepts any model of a provider that cannot list, and says so in /api/models', async () => {
    const run = await start(['ollama:anything']);
    assert.equal(run.status, 202, run.text);
    await untilFinished(server, run.body.id as string);
    const models = await server.request('GET', '/api/models');
    const by = Object.fromEntries(
      models.body.providers.map((p: { provider: string }) => [p.provider, p]),
    );
    assert.equal(by.ollama.accepts_unlisted, true);
    assert.equal(by.ollama.error.kind, 'unavailable');
    assert.equal(by.openai.accepts_unlisted, false);
    assert.equal(by.simulated.accepts_unlisted, false);
  });
});
