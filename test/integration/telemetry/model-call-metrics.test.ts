/**
 * The GenAI metrics count every model call where it happens: the items' answers, the
 * llm-rubric grader calls and the `similar` embedding calls, each with its `operation` label
 * and the OpenTelemetry `gen_ai_operation_name` (chat, embeddings).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { histogramOf, parseExposition } from '../../support/exposition.js';
import { createCardWithCases, untilFinished } from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

const DURATION = 'gen_ai_client_operation_duration_seconds';

describe('model-call metrics', () => {
  let model: WireServer;
  let server: TestServer;
  before(async () => {
    model = await startWireServer('openai');
    server = await startTestServer({
      OPENAI_BASE_URL: model.url,
      GRADER_MODEL: 'openai:judge',
      EMBEDDING_MODEL: 'openai:embed',
      PROVIDER_MAX_RETRIES: '0',
    });
  });
  after(async () => {
    await server.dispose();
    await model.close();
  });

  it('records chat, grader and embedding calls with their operation', async () => {
    // The grader's prompt carries the rubric.
    model.answer = (prompt) =>
      prompt.includes('<rubric>') ? '{"score": 0.8, "reason": "fine"}' : `echo: ${prompt}`;
    const cardId = await createCardWithCases(server, 3, [
      { type: 'llm-rubric', value: 'Repeats the word' },
      { type: 'similar', value: 'echo: Repeat after me', threshold: 0.1 },
    ]);
    const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['openai:alpha'],
      concurrency: 1,
    });
    assert.equal(run.status, 202, run.text);
    await untilFinished(server, run.body.id as string);
    const metrics = parseExposition((await server.request('GET', '/api/metrics')).text);
    const count = (labels: Record<string, string>) => histogramOf(metrics, DURATION, labels).count;
    assert.equal(
      count({ operation: 'chat', gen_ai_operation_name: 'chat', gen_ai_request_model: 'alpha' }),
      3,
    );
    assert.equal(count({ operation: 'grader', gen_ai_request_model: 'judge', error_type: '' }), 3);
    assert.equal(
      count({ operation: 'embedding', gen_ai_operation_name: 'embeddings' }) >= 3,
      true,
      'embedding calls are counted',
    );
    assert.equal(
      histogramOf(metrics, 'gen_ai_client_token_usage', { operation: 'grader' }).count > 0,
      true,
    );
  });
});
