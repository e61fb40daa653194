/** Prices of OpenAI models for the `cost` assertion: the ones promptfoo 0.121 also prices. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openAiPrice } from '../../../src/cli/model-prices.js';

describe('openAiPrice', () => {
  it('prices the GPT-5 family promptfoo prices (USD per 1M input/output tokens)', () => {
    assert.deepEqual(openAiPrice('gpt-5.2'), { input: 1.75, output: 14 });
    assert.deepEqual(openAiPrice('chat:gpt-5.1'), { input: 1.25, output: 10 });
    assert.deepEqual(openAiPrice('gpt-5.2-2025-12-11'), { input: 1.75, output: 14 });
  });

  it('has no price for a model it does not know', () => {
    assert.equal(openAiPrice('gpt-9-imaginary'), undefined);
  });
});
