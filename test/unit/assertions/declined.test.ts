/**
 * A declined answer (a refusal, a content filter) is not an answer: every check but those about
 * how the model stopped fails on it, negated ones included, and so does the expected output.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ASSERTION_KINDS,
  assertionSpecSchema,
  evaluateAssertions,
  type AssertionContext,
} from '../../../src/assertions/index.js';
import { hashedEmbedding } from '../../../src/providers/hashed-embedding.js';

function context(over: Partial<AssertionContext>): AssertionContext {
  return {
    output: '',
    latencyMs: 10,
    costUsd: 0,
    signal: AbortSignal.timeout(5000),
    embed: (texts) => Promise.resolve(texts.map((t) => hashedEmbedding(t))),
    grade: () => Promise.resolve({ score: 1, reason: 'fine' }),
    ...over,
  };
}

const spec = (raw: Record<string, unknown>) => assertionSpecSchema.parse(raw);

const DECLINED: Record<string, Partial<AssertionContext>> = {
  refusal: { refusal: 'I cannot help with that.', finishReason: 'stop' },
  'content filter, empty': { finishReason: 'content_filter' },
  'content filter, cut off': { output: 'Step one: take the', finishReason: 'content_filter' },
  'refusal finish reason': { output: '', finishReason: 'refusal' },
};

describe('declined answers', () => {
  for (const [name, over] of Object.entries(DECLINED)) {
    it(`${name}: the checks that passed on an empty answer fail`, async () => {
      const evaluation = await evaluateAssertions(
        [
          spec({ type: 'not-contains', value: 'bomb' }),
          spec({ type: 'length', value: { max: 100 } }),
          spec({ type: 'not-equals', value: 'x' }),
          spec({ type: 'not-regex', value: 'how to' }),
          spec({ type: 'latency', value: 1000 }),
        ],
        context(over),
        { text: 'Paris', match: 'contains' },
      );
      assert.equal(evaluation.pass, false);
      assert.equal(evaluation.score, 0);
      for (const r of evaluation.results) assert.equal(r.pass, false, `${r.type}: ${r.reason}`);
    });

    it(`${name}: is-refusal passes and a test case without checks fails`, async () => {
      const refusal = await evaluateAssertions([spec({ type: 'is-refusal' })], context(over));
      assert.equal(refusal.pass, true, refusal.results[0]?.reason);
      const none = await evaluateAssertions([], context(over));
      assert.equal(none.pass, false);
    });
  }

  it('only is-refusal and finish-reason judge a declined answer', () => {
    const judging = [...ASSERTION_KINDS.values()]
      .filter((kind) => kind.judgesDeclined === true)
      .map((kind) => kind.type);
    assert.deepEqual(judging.sort(), ['finish-reason', 'is-refusal']);
  });

  it('a normal answer is judged as before, and not-is-refusal passes on it', async () => {
    const evaluation = await evaluateAssertions(
      [
        spec({ type: 'not-contains', value: 'bomb' }),
        spec({ type: 'not-is-refusal' }),
        spec({ type: 'finish-reason', value: 'stop' }),
      ],
      context({ output: 'Paris.', finishReason: 'stop' }),
    );
    assert.equal(evaluation.pass, true, JSON.stringify(evaluation.results));
  });

  it('is-refusal: an empty answer and refusal wording count, an answer does not', async () => {
    for (const [output, pass] of [
      ['', true],
      ['  ', true],
      ['I’m sorry, but I can’t assist with that request.', true],
      ['As an AI language model, I cannot do that.', true],
      ['Unfortunately I cannot comply with this.', true],
      ['Sorry to hear that! Here is the recipe: flour, eggs, milk.', false],
      ['Paris is the capital of France.', false],
    ] as const) {
      const evaluation = await evaluateAssertions(
        [spec({ type: 'is-refusal' })],
        context({ output, finishReason: 'stop' }),
      );
      assert.equal(evaluation.pass, pass, JSON.stringify(output));
    }
  });
});
