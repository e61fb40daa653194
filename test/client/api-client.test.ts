/**
 * The TypeScript client generated from docs/openapi.json (swagger-typescript-api; compiled
 * strictly by `npm run typecheck`) drives the running service: a card, a test case, a run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { Api, HttpClient } from './api-client.js';

describe('the client generated from the OpenAPI document', () => {
  let server: TestServer;
  let api: Api<unknown>;
  before(async () => {
    server = await startTestServer();
    api = new Api(new HttpClient({ baseUrl: server.url }));
  });
  after(() => server.dispose());

  it('creates a card, a test case and a run, and reads the finished run', async () => {
    const card = await api.api.createPromptCard({
      title: 'Generated client',
      prompt_template: 'Say hello to {{name}}.',
      tags: ['client'],
    });
    assert.equal(card.status, 201);
    assert.deepEqual(card.data.variables, ['name']);

    const testCase = await api.api.createTestCase(
      { id: card.data.id },
      {
        name: 'Ada',
        input_variables: { name: 'Ada' },
        assertions: [{ type: 'length', value: { min: 1 } }],
      },
    );
    assert.equal(testCase.status, 201);
    assert.equal(testCase.data.prompt_card_id, card.data.id);

    const run = await api.api.createRun(
      { id: card.data.id },
      { models: ['simulated:fast'], concurrency: 1 },
    );
    assert.equal(run.status, 202);
    let status = run.data.status;
    for (let i = 0; i < 200 && (status === 'queued' || status === 'running'); i++) {
      await sleep(25);
      status = (await api.api.getRun({ id: run.data.id })).data.status;
    }
    assert.equal(status, 'completed');
    const results = await api.api.listRunResults({ id: run.data.id });
    assert.equal(results.data.total, 1);
    assert.equal(results.data.items[0]?.test_case_id, testCase.data.id);
  });

  it('gives the catalog error body of a failed call as its error', async () => {
    const missing = await api.api.getPromptCard({ id: 'no-such-card' }).then(
      () => assert.fail('expected a 404'),
      (response: { status: number; error: { error: { code: string } } }) => response,
    );
    assert.equal(missing.status, 404);
    assert.equal(missing.error.error.code, 'PCS_ERR_CARD_NOT_FOUND');
  });
});
