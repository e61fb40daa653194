/**
 * `perplexity` and `perplexity-score` from token logprobs: the formulas (exp of the negative
 * mean logprob; 1/(1+perplexity)), promptfoo's "any value passes without a threshold", and an
 * answer without logprobs as the result's error. The OpenAI-wire provider asks for logprobs
 * only when told and carries them from a loopback server that gives them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  assertionSpecSchema,
  evaluateAssertions,
  needsLogProbs,
  type AssertionContext,
} from '../../../src/assertions/index.js';
import { OpenAiProvider } from '../../../src/providers/index.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

function context(logProbs?: readonly number[]): AssertionContext {
  return {
    output: 'a b',
    latencyMs: 1,
    costUsd: null,
    signal: AbortSignal.timeout(5000),
    embed: () => Promise.reject(new Error('not used')),
    grade: () => Promise.reject(new Error('not used')),
    ...(logProbs === undefined ? {} : { logProbs }),
  };
}

async function run(spec: Record<string, unknown>, logProbs?: readonly number[]) {
  const evaluation = await evaluateAssertions([assertionSpecSchema.parse(spec)], context(logProbs));
  const result = evaluation.results[0];
  assert.ok(result !== undefined);
  return result;
}

// Two tokens of logprob ln ½ and ln ¼: mean −1.5·ln 2, perplexity 2^1.5 = 2.828…
const LOGPROBS = [Math.log(0.5), Math.log(0.25)];
const PERPLEXITY = 2 ** 1.5;

describe('perplexity assertions', () => {
  it('perplexity passes at or below its threshold, and with none at all', async () => {
    assert.equal((await run({ type: 'perplexity', threshold: 3 }, LOGPROBS)).pass, true);
    const high = await run({ type: 'perplexity', threshold: 2.5 }, LOGPROBS);
    assert.equal(high.pass, false);
    assert.match(high.reason, new RegExp(`Perplexity ${PERPLEXITY.toFixed(2)} is greater`));
    assert.equal((await run({ type: 'perplexity' }, LOGPROBS)).pass, true);
    assert.equal((await run({ type: 'not-perplexity', threshold: 2.5 }, LOGPROBS)).pass, true);
  });

  it('perplexity-score is 1/(1+perplexity) against its threshold', async () => {
    const result = await run({ type: 'perplexity-score', threshold: 0.2 }, LOGPROBS);
    assert.ok(Math.abs(result.score - 1 / (1 + PERPLEXITY)) < 1e-12);
    assert.equal(result.pass, true);
    assert.equal((await run({ type: 'perplexity-score', threshold: 0.3 }, LOGPROBS)).pass, false);
  });

  it('makes an answer without logprobs the result error, naming why', async () => {
    for (const type of ['perplexity', 'not-perplexity-score']) {
      const result = await run({ type });
      assert.equal(result.pass, false);
      assert.match(result.error ?? '', /needs token logprobs and the model server returned none/);
    }
  });

  it('rejects a value, takes a perplexity threshold above 1, and says logprobs are needed', () => {
    assert.equal(assertionSpecSchema.safeParse({ type: 'perplexity', value: 'x' }).success, false);
    assert.equal(
      assertionSpecSchema.safeParse({ type: 'perplexity', threshold: 40 }).success,
      true,
    );
    assert.equal(
      assertionSpecSchema.safeParse({ type: 'perplexity-score', threshold: 2 }).success,
      false,
    );
    assert.equal(needsLogProbs([{ type: 'contains', value: 'x' }]), false);
    assert.equal(
      needsLogProbs([{ type: 'assert-set', assert: [{ type: 'not-perplexity' }] }]),
      true,
    );
  });
});

describe('OpenAI-wire logprobs', () => {
  let wire: WireServer;
  before(async () => {
    wire = await startWireServer('openai');
    wire.answer = () => 'a b';
    wire.logProbs = LOGPROBS;
  });
  after(() => wire.close());

  it('asks for logprobs only when told, and carries each token logprob', async () => {
    const provider = new OpenAiProvider(wire.url, undefined);
    const signal = AbortSignal.timeout(5000);
    const plain = await provider.chat(
      { model: 'alpha', messages: [{ role: 'user', content: 'x' }] },
      signal,
    );
    assert.equal(plain.logProbs, undefined);
    assert.equal((wire.requests.at(-1)?.body as { logprobs?: unknown }).logprobs, undefined);
    const asked = await provider.chat(
      { model: 'alpha', messages: [{ role: 'user', content: 'x' }], logProbs: true },
      signal,
    );
    assert.equal((wire.requests.at(-1)?.body as { logprobs?: unknown }).logprobs, true);
    assert.deepEqual(asked.logProbs, LOGPROBS);
  });
});
