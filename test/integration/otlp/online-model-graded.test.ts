/**
 * A model-graded kind on the online path: a rule's `factuality` assertion judges an exported
 * span with the grader (the loopback OpenAI-wire server), which is shown the span's input as
 * the question; its answer decides the verdict (category D: fail, not an error).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

describe('online evaluation with a model-graded kind', () => {
  let wire: WireServer;
  let server: TestServer;
  let cardId: string;

  before(async () => {
    wire = await startWireServer('openai');
    wire.answer = (prompt) =>
      prompt.startsWith('[Question]:') ? '{"category": "D", "reason": "says Rome"}' : 'unused';
    server = await startTestServer({
      GRADER_MODEL: 'openai:judge',
      OPENAI_BASE_URL: wire.url,
      PROVIDER_MAX_RETRIES: '0',
    });
    const card = await server.request('POST', '/api/prompt-cards', {
      title: 'Capitals',
      prompt_template: 'Capital of France?',
    });
    cardId = card.body.id as string;
    const rule = await server.request('POST', `/api/prompt-cards/${cardId}/online-rules`, {
      assertions: [{ type: 'factuality', value: 'Paris is the capital of France' }],
    });
    assert.equal(rule.status, 201, rule.text);
  });
  after(async () => {
    await server.dispose();
    await wire.close();
  });

  it('asks the grader with the span input and fails on a disagreement', async () => {
    const attribute = (key: string, value: string) => ({ key, value: { stringValue: value } });
    const exported = await server.request('POST', '/api/v1/traces', {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '6b8efff798038103d269b633813fc60c',
                  spanId: 'fee19b7ec3c1b174',
                  attributes: [
                    attribute('gen_ai.request.model', 'gpt-4o'),
                    attribute('input.value', 'What is the capital of France?'),
                    attribute('output.value', 'Rome.'),
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    assert.equal(exported.status, 200, exported.text);
    let item: Record<string, unknown> | undefined;
    for (let i = 0; i < 600 && item?.status !== 'done'; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      const page = await server.request('GET', `/api/prompt-cards/${cardId}/online-evaluations`);
      item = (page.body.items as Record<string, unknown>[])[0];
    }
    assert.equal(item?.status, 'done');
    assert.equal(item.error, null);
    assert.equal(item.judged, true);
    assert.equal(item.pass, false);
    const results = item.assertion_results as { type: string; reason: string }[];
    assert.match(results[0]?.reason ?? '', /^Category D .*says Rome/);
    const graded = wire.requests
      .map((r) => (r.body as { messages?: { content: string }[] } | undefined)?.messages)
      .find((m) => m?.at(-1)?.content.startsWith('[Question]:'));
    assert.match(
      graded?.at(-1)?.content ?? '',
      /^\[Question\]: What is the capital of France\?\n\[Expert answer\]: Paris is the capital of France\n\[Submitted answer\]: Rome\.$/,
    );
  });
});
