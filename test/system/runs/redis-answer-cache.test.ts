/** The answer cache on the real Redis: shared answers, expiry, a prefix per deployment. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerKey } from '../../../src/runs/answer-cache.js';
import { RedisAnswerCache } from '../../../src/runs/redis-answer-cache.js';
import type { ModelCall } from '../../../src/providers/index.js';
import { REDIS_URL, requireRedis, throwawayRedisPrefix } from '../../support/redis.js';

const prefix = throwawayRedisPrefix();

describe('RedisAnswerCache', async () => {
  const skip = await requireRedis();
  const call = {
    output: 'forty-two',
    inputTokens: 3,
    outputTokens: 1,
    modelId: 'openai:alpha',
    provider: 'openai',
    latencyMs: 12.5,
    attempts: 1,
    costUsd: null,
    simulated: false,
  } as unknown as ModelCall;

  it('shares an answer between processes until it expires', { skip }, async () => {
    const writer = new RedisAnswerCache(REDIS_URL, prefix, 300);
    const reader = new RedisAnswerCache(REDIS_URL, prefix, 300);
    try {
      const key = answerKey('openai:alpha', [{ role: 'user', content: 'question' }]);
      assert.equal(await reader.get(key), undefined);
      await writer.set(key, call);
      assert.deepEqual(await reader.get(key), call);
      const other = answerKey('openai:beta', [{ role: 'user', content: 'question' }]);
      assert.equal(await reader.get(other), undefined, 'the model is part of the key');
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal(await reader.get(key), undefined, 'expired after CACHE_TTL_SECONDS');
    } finally {
      await writer.close();
      await reader.close();
    }
  });
});
