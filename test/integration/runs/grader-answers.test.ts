/**
 * The `llm-rubric` grader is a model too, and its answers are as odd as any: a quoted number
 * is a number, and an answer that cannot be parsed is the result's error (the assertion
 * contract in src/assertions/assertion.ts), not a failed verdict. The grader is the loopback
 * OpenAI-wire server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { graderScore } from '../../../src/providers/grader-score.js';
import { createCardWithCases, untilFinished } from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

describe('grader answers', () => {
  let wire: WireServer;
  let server: TestServer;
  let graderAnswer = '';
  before(async () => {
    wire = await startWireServer('openai');
    wire.answer = (prompt) => (prompt.includes('<rubric>') ? graderAnswer : `echo: ${prompt}`);
    server = await startTestServer({
      OPENAI_BASE_URL: wire.url,
      GRADER_MODEL: 'openai:grader',
      PROVIDER_MAX_RETRIES: '0',
    });
  });
  after(async () => {
    await server.dispose();
    await wire.close();
  });

  async function gradeOnce(answer: string) {
    graderAnswer = answer;
    const cardId = await createCardWithCases(server, 1, [
      { type: 'llm-rubric', value: 'Repeats the word', threshold: 0.5 },
    ]);
    const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['openai:alpha'],
    });
    await untilFinished(server, run.body.id as string);
    const done = await server.request('GET', `/api/runs/${run.body.id}`);
    const results = await server.request('GET', `/api/runs/${run.body.id}/results`);
    return { summary: done.body.summary[0], result: results.body.items[0] };
  }

  it('reads a numeric string score as the number', async () => {
    const { result } = await gradeOnce('{"score": "0.75", "reason": "close enough"}');
    assert.equal(result.error, null);
    assert.equal(result.passed, true);
    assert.equal(result.score, 0.75);
    assert.match(result.assertions[0].reason, /0\.75 — close enough/);
  });

  it('records an answer that cannot be parsed as the result error, not a failed verdict', async () => {
    const { result, summary } = await gradeOnce('I would say it is quite good.');
    assert.equal(result.passed, false);
    assert.equal(result.error.type, 'invalid_response');
    assert.match(result.error.message, /llm-rubric assertion could not be evaluated/);
    assert.ok(result.output.startsWith('echo:'), 'the answer is kept');
    assert.equal(summary.errored, 1);
    assert.equal(summary.failed, 0);
  });

  it('accepts only numbers in [0, 1] or strings that are exactly such numbers', () => {
    for (const [raw, want] of [
      [0.5, 0.5],
      ['0.75', 0.75],
      [' 1 ', 1],
      ['0', 0],
      ['.5', 0.5],
      ['5e-1', 0.5],
      ['1.5', undefined],
      ['-0.1', undefined],
      ['0.5 points', undefined],
      ['', undefined],
      ['0x1', undefined],
      [null, undefined],
      [Number.NaN, undefined],
      [true, undefined],
    ] as const) {
      assert.equal(graderScore(raw), want, JSON.stringify(raw));
    }
  });
});
