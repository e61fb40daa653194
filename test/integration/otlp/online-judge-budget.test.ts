/**
 * The judge of production spans, end to end through the receiver: its model calls are told
 * apart from test runs' (`operation="online_grader"` on the GenAI series), each judged
 * evaluation stores its judge cost and adds a score to the histogram, and once the daily judge
 * budget (`ONLINE_EVAL_BUDGET_USD`) is spent, evaluations whose assertions call a model are
 * stored not judged with reason `budget` and counted — while assertions that cost nothing
 * are still judged. A rule on a card without assertions is stored not judged, `no_assertions`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { histogramOf, parseExposition, valueOf } from '../../support/exposition.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const TRACE = '5b8efff798038103d269b633813fc60c';

describe('online judge: metrics, cost and the daily budget', () => {
  let server: TestServer;
  let cardId: string;

  before(async () => {
    server = await startTestServer({
      SIMULATED_LATENCY_MS: '0',
      // One USD per input token of the simulated grader: one judgement spends the budget.
      MODEL_PRICES: JSON.stringify({ 'simulated:grader': { input: 1_000_000, output: 0 } }),
      ONLINE_EVAL_BUDGET_USD: '1',
    });
    const card = await server.request('POST', '/api/prompt-cards', {
      title: 'Polite',
      prompt_template: 'Hi',
    });
    cardId = card.body.id as string;
  });
  after(async () => server.dispose());

  async function exportSpan(spanId: string, output: string): Promise<void> {
    const exported = await server.request('POST', '/api/v1/traces', {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: TRACE,
                  spanId,
                  attributes: [
                    { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
                    { key: 'output.value', value: { stringValue: output } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    assert.equal(exported.status, 200, exported.text);
  }

  /** Waits until every evaluation of `spanId` on the card is done; returns them by rule. */
  async function doneFor(card: string, spanId: string, count: number) {
    for (let i = 0; i < 600; i++) {
      const page = await server.request(
        'GET',
        `/api/prompt-cards/${card}/online-evaluations?limit=100`,
      );
      const items = (page.body.items as Record<string, unknown>[]).filter(
        (e) => e.span_id === spanId,
      );
      if (items.length === count && items.every((e) => e.status === 'done')) return items;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`evaluations of ${spanId} not done`);
  }

  it('judges, costs and counts under the budget, then stores not judged past it', async () => {
    const rubric = await server.request('POST', `/api/prompt-cards/${cardId}/online-rules`, {
      assertions: [{ type: 'llm-rubric', value: 'The answer is polite' }],
      judge_concurrency: 1,
    });
    assert.equal(rubric.status, 201, rubric.text);
    assert.equal(rubric.body.judge_concurrency, 1);

    await exportSpan('00000000000000a1', 'Thank you, happy to help!');
    const [first] = await doneFor(cardId, '00000000000000a1', 1);
    assert.equal(first?.judged, true);
    assert.equal(first.not_judged_reason, null);
    assert.ok(Number(first.judge_cost_usd) > 1, `cost ${String(first.judge_cost_usd)}`);

    const free = await server.request('POST', `/api/prompt-cards/${cardId}/online-rules`, {
      assertions: [{ type: 'icontains', value: 'thank' }],
    });
    assert.equal(free.status, 201, free.text);
    await exportSpan('00000000000000a2', 'Thank you again');
    const second = await doneFor(cardId, '00000000000000a2', 2);
    const graded = second.find((e) => e.rule_id === rubric.body.id);
    const contains = second.find((e) => e.rule_id === free.body.id);
    assert.equal(graded?.judged, false, 'past the budget the model-graded rule is not judged');
    assert.equal(graded.not_judged_reason, 'budget');
    assert.equal(graded.judge_cost_usd, null);
    assert.equal(contains?.judged, true, 'an assertion that costs nothing is still judged');
    assert.equal(contains.pass, true);

    const exposition = parseExposition((await server.request('GET', '/api/metrics')).text);
    const judge = { operation: 'online_grader', gen_ai_request_model: 'grader' };
    assert.equal(
      histogramOf(exposition, 'gen_ai_client_operation_duration_seconds', {
        ...judge,
        error_type: '',
      }).count,
      1,
      'one judge call, told apart from test runs',
    );
    assert.equal(
      histogramOf(exposition, 'gen_ai_client_operation_duration_seconds', { operation: 'grader' })
        .count,
      0,
    );
    assert.ok(valueOf(exposition, 'gen_ai_client_cost_usd_total', judge) > 1);
    assert.ok(
      histogramOf(exposition, 'gen_ai_client_token_usage', {
        ...judge,
        gen_ai_token_type: 'input',
      }).count === 1,
    );
    assert.equal(
      valueOf(exposition, 'prompt_card_online_evaluations_not_judged_total', { reason: 'budget' }),
      1,
    );
    assert.equal(
      histogramOf(exposition, 'prompt_card_online_evaluation_score', { card: cardId }).count,
      2,
      'the two judged evaluations',
    );
    assert.equal(
      valueOf(exposition, 'prompt_card_online_evaluations_total', {
        card: cardId,
        assertion: 'none',
        outcome: 'not_judged',
      }),
      1,
    );
    assert.equal(
      valueOf(exposition, 'prompt_card_online_evaluation_oldest_pending_age_seconds'),
      0,
      'nothing pending',
    );
  });

  it('stores an evaluation of a card without assertions as not judged, no_assertions', async () => {
    const bare = await server.request('POST', '/api/prompt-cards', {
      title: 'Bare',
      prompt_template: 'Hi',
    });
    const bareId = bare.body.id as string;
    const rule = await server.request('POST', `/api/prompt-cards/${bareId}/online-rules`, {
      service_name: 'bare-service',
    });
    assert.equal(rule.status, 201, rule.text);
    const exported = await server.request('POST', '/api/v1/traces', {
      resourceSpans: [
        {
          resource: {
            attributes: [{ key: 'service.name', value: { stringValue: 'bare-service' } }],
          },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: TRACE,
                  spanId: '00000000000000b1',
                  attributes: [
                    { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
                    { key: 'output.value', value: { stringValue: 'hello' } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    assert.equal(exported.status, 200, exported.text);
    const [item] = await doneFor(bareId, '00000000000000b1', 1);
    assert.equal(item?.judged, false);
    assert.equal(item.not_judged_reason, 'no_assertions');
    const exposition = parseExposition((await server.request('GET', '/api/metrics')).text);
    assert.equal(
      valueOf(exposition, 'prompt_card_online_evaluations_not_judged_total', {
        reason: 'no_assertions',
      }),
      1,
    );
  });
});
