/**
 * Refusals, content filters and reasoning blocks as model servers send them, through whole
 * runs: the refusal text and the finish reason are stored with the result, a declined answer
 * fails every check but `is-refusal` and `finish-reason`, and a card with `show_thinking: false`
 * checks the answer without its `<think>` block (kept in `reasoning`).
 *
 * The loopback OpenAI-wire and Ollama-wire fakes are used on purpose: a real model cannot be
 * made to refuse, be filtered or think on demand; the answers are the wire shapes those servers
 * document (`message.refusal` with `content: null`, `finish_reason: "content_filter"`,
 * `reasoning_content`, Ollama's `message.thinking` and `done_reason`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ModelClient, OpenAiProvider } from '../../../src/providers/index.js';
import { untilFinished } from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

const openAiChoice = (message: Record<string, unknown>, finishReason: string) => () => ({
  object: 'chat.completion',
  model: 'alpha',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finishReason }],
  usage: { prompt_tokens: 3, completion_tokens: 2 },
});

/** The checks a declined answer used to pass with score 1. */
const EVERYDAY_CHECKS = [
  { type: 'not-contains', value: 'bomb' },
  { type: 'length', value: { max: 500 } },
];

describe('declined and reasoning answers', () => {
  let openai: WireServer;
  let ollama: WireServer;
  let server: TestServer;
  before(async () => {
    openai = await startWireServer('openai');
    ollama = await startWireServer('ollama');
    server = await startTestServer({
      OPENAI_BASE_URL: openai.url,
      OLLAMA_BASE_URL: ollama.url,
      PROVIDER_MAX_RETRIES: '0',
    });
  });
  after(async () => {
    await server.dispose();
    await openai.close();
    await ollama.close();
  });

  /** One card, one test case with `assertions`, one run on `model`; its only result. */
  async function resultOf(
    model: string,
    assertions: unknown[],
    card: Record<string, unknown> = {},
    expected_output?: string,
  ) {
    const created = await server.request('POST', '/api/prompt-cards', {
      title: 'Declined',
      prompt_template: 'Tell me {{what}}',
      ...card,
    });
    assert.equal(created.status, 201, created.text);
    const tc = await server.request('POST', `/api/prompt-cards/${created.body.id}/test-cases`, {
      name: 'one',
      input_variables: { what: 'something' },
      assertions,
      ...(expected_output === undefined ? {} : { expected_output }),
    });
    assert.equal(tc.status, 201, tc.text);
    const run = await server.request('POST', `/api/prompt-cards/${created.body.id}/runs`, {
      models: [model],
    });
    assert.equal(run.status, 202, run.text);
    await untilFinished(server, run.body.id as string);
    const results = await server.request('GET', `/api/runs/${run.body.id}/results`);
    assert.equal(results.body.items.length, 1);
    return results.body.items[0];
  }

  it('stores a refusal (content null) and fails the everyday checks on it', async () => {
    openai.chatBody = openAiChoice(
      { content: null, refusal: "I'm sorry, I can't help with that." },
      'stop',
    );
    try {
      const result = await resultOf('openai:alpha', EVERYDAY_CHECKS, {}, 'Paris');
      assert.equal(result.refusal, "I'm sorry, I can't help with that.");
      assert.equal(result.finish_reason, 'stop');
      assert.equal(result.error, null);
      assert.equal(result.passed, false);
      assert.equal(result.score, 0);
      for (const check of result.assertions) {
        assert.equal(check.pass, false, check.type);
        assert.match(check.reason, /The model refused/);
      }
      assert.equal(result.assertions.length, 3, 'expected output and both assertions');

      const asserted = await resultOf('openai:alpha', [
        { type: 'is-refusal' },
        { type: 'not-finish-reason', value: 'content_filter' },
      ]);
      assert.equal(asserted.passed, true, JSON.stringify(asserted.assertions));
    } finally {
      openai.chatBody = undefined;
    }
  });

  it('stores content_filter, empty or cut off, and fails the everyday checks', async () => {
    for (const content of [null, 'Here is how you start: first you']) {
      openai.chatBody = openAiChoice({ content }, 'content_filter');
      try {
        const result = await resultOf('openai:alpha', EVERYDAY_CHECKS);
        assert.equal(result.finish_reason, 'content_filter');
        assert.equal(result.refusal, null);
        assert.equal(result.output, content ?? '');
        assert.equal(result.passed, false, String(content));
        assert.ok(
          result.assertions.every((a: { reason: string }) => /content filter/.test(a.reason)),
        );
        const asserted = await resultOf('openai:alpha', [
          { type: 'finish-reason', value: 'content_filter' },
          { type: 'is-refusal' },
        ]);
        assert.equal(asserted.passed, true, JSON.stringify(asserted.assertions));
        // A test case without checks is no pass either: no answer came.
        assert.equal((await resultOf('openai:alpha', [])).passed, false);
      } finally {
        openai.chatBody = undefined;
      }
    }
  });

  it('keeps a normal answer passing and is-refusal failing on it', async () => {
    openai.chatBody = openAiChoice({ content: 'Paris is the capital.' }, 'stop');
    try {
      const result = await resultOf('openai:alpha', [
        ...EVERYDAY_CHECKS,
        { type: 'not-is-refusal' },
        { type: 'finish-reason', value: 'stop' },
      ]);
      assert.equal(result.passed, true, JSON.stringify(result.assertions));
      assert.equal(result.finish_reason, 'stop');
      assert.equal(result.refusal, null);
    } finally {
      openai.chatBody = undefined;
    }
  });

  it('stores Ollama’s done_reason and thinking', async () => {
    ollama.chatBody = () => ({
      model: 'alpha',
      message: { role: 'assistant', content: '{"city":"Paris"}', thinking: 'The user wants JSON.' },
      done: true,
      done_reason: 'length',
    });
    try {
      const result = await resultOf('ollama:alpha', [
        { type: 'finish-reason', value: 'length' },
        { type: 'is-json' },
      ]);
      assert.equal(result.finish_reason, 'length');
      assert.equal(result.reasoning, 'The user wants JSON.');
      assert.equal(result.passed, true, JSON.stringify(result.assertions));
    } finally {
      ollama.chatBody = undefined;
    }
  });

  it('checks JSON after <think> with show_thinking false, keeping the reasoning', async () => {
    openai.chatBody = openAiChoice(
      { content: '<think>\nThey want a city as JSON.\n</think>\n\n{"city": "Paris"}' },
      'stop',
    );
    try {
      const shown = await resultOf('openai:alpha', [{ type: 'is-json' }]);
      assert.equal(shown.passed, false, 'the block is part of the answer by default');
      assert.equal(shown.reasoning, null);

      const stripped = await resultOf('openai:alpha', [{ type: 'is-json' }], {
        show_thinking: false,
      });
      assert.equal(stripped.passed, true, JSON.stringify(stripped.assertions));
      assert.equal(stripped.output, '{"city": "Paris"}');
      assert.equal(stripped.reasoning, 'They want a city as JSON.');
    } finally {
      openai.chatBody = undefined;
    }
  });

  it('stores reasoning_content the server sent apart', async () => {
    openai.chatBody = openAiChoice(
      { content: '{"city": "Paris"}', reasoning_content: 'A city, as JSON.' },
      'stop',
    );
    try {
      const result = await resultOf('openai:alpha', [{ type: 'is-json' }]);
      assert.equal(result.passed, true);
      assert.equal(result.reasoning, 'A city, as JSON.');
    } finally {
      openai.chatBody = undefined;
    }
  });

  it('reads and updates a card’s show_thinking, which an update without it keeps', async () => {
    const created = await server.request('POST', '/api/prompt-cards', {
      title: 'Thinking',
      prompt_template: 'x',
      show_thinking: false,
    });
    assert.equal(created.body.show_thinking, false);
    const id = created.body.id as string;
    const kept = await server.request('PUT', `/api/prompt-cards/${id}`, {
      title: 'Thinking 2',
      prompt_template: 'x',
    });
    assert.equal(kept.status, 200, kept.text);
    assert.equal(kept.body.show_thinking, false);
    const bad = await server.request('PUT', `/api/prompt-cards/${id}`, {
      title: 'Thinking',
      prompt_template: 'x',
      show_thinking: 'no',
    });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /show_thinking/);
  });
});

describe('a reasoning grader', () => {
  it('is scored on the JSON after its <think> block', async () => {
    const wire = await startWireServer('openai');
    try {
      wire.chatBody = openAiChoice(
        { content: '<think>The output is polite.</think>\n{"score": 0.9, "reason": "polite"}' },
        'stop',
      );
      const client = new ModelClient([new OpenAiProvider(wire.url, undefined)], {
        timeoutMs: 5000,
        maxRetries: 0,
        prices: {},
        embeddingModel: 'openai:e',
        graderModel: 'openai:alpha',
      });
      const grade = await client.grade('Is it polite?', 'Thank you!', AbortSignal.timeout(5000));
      // No price for the grader model here: its cost is unknown (null), not 0.
      assert.deepEqual(grade, { score: 0.9, reason: 'polite', costUsd: null });
    } finally {
      await wire.close();
    }
  });
});
