/** With REDIS_URL the write limit is one count across instances, kept in a real Redis. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { requireService } from '../../support/system.js';
import { startTestServer } from '../../support/test-server.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('write rate limit in Redis', () => {
  it('counts the writes of two instances together', async (t) => {
    const skip = await requireService('Redis', async () => {
      const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.ping();
      } finally {
        client.disconnect();
      }
    });
    if (skip !== undefined) return t.skip(skip);
    const prefix = `pcs-test:${randomBytes(6).toString('hex')}:`;
    const env = { REDIS_URL, RATE_LIMIT_WRITES: '4', RATE_LIMIT_WINDOW_SECONDS: '60' };
    const a = await startTestServer(env, undefined, { rateLimitRedisPrefix: prefix });
    const b = await startTestServer(env, undefined, { rateLimitRedisPrefix: prefix });
    const client = new Redis(REDIS_URL);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        for (const server of [a, b]) {
          const response = await server.request('POST', '/api/prompt-cards', {
            title: `t${i}`,
            prompt_template: 'x',
          });
          statuses.push(response.status);
        }
      }
      assert.deepEqual(statuses, [201, 201, 201, 201, 429, 429]);
      const keys = await client.keys(`${prefix}*`);
      assert.equal(keys.length, 1, 'one shared counter');
    } finally {
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(...keys);
      client.disconnect();
      await a.dispose();
      await b.dispose();
    }
  });
});
