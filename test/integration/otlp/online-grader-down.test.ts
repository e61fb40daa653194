/**
 * The grader unreachable (a loopback port nothing listens on): an online evaluation with an
 * `llm-rubric` assertion is completed with the error, not a failed verdict, and counted as
 * outcome `error`.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../support/test-server.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

describe('online evaluation with the grader down', () => {
  let server: TestServer;
  let cardId: string;

  before(async () => {
    server = await startTestServer({
      GRADER_MODEL: 'ollama:judge',
      OLLAMA_BASE_URL: `http://127.0.0.1:${await closedPort()}`,
    });
    const card = await server.request('POST', '/api/prompt-cards', {
      title: 'Graded',
      prompt_template: 'Hi',
    });
    cardId = card.body.id as string;
    const rule = await server.request('POST', `/api/prompt-cards/${cardId}/online-rules`, {
      assertions: [{ type: 'llm-rubric', value: 'The answer is polite' }],
    });
    assert.equal(rule.status, 201, rule.text);
  });
  after(async () => server.dispose());

  it('stores the error and counts outcome error', async () => {
    const exported = await server.request('POST', '/api/v1/traces', {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  attributes: [
                    { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
                    { key: 'output.value', value: { stringValue: 'Thank you!' } },
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
    assert.match(String(item.error), /llm-rubric assertion could not be evaluated/);
    assert.equal(item.pass, false);
    const metrics = await server.request('GET', '/api/metrics');
    assert.match(
      metrics.text,
      new RegExp(
        `^prompt_card_online_evaluations_total\\{card="${cardId}",model="gpt-4o",assertion="llm-rubric",outcome="error"\\} 1$`,
        'm',
      ),
    );
  });
});
