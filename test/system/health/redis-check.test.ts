import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { redisCheck } from '../../../src/health/checks/redis.js';
import { requireService } from '../../support/system.js';
import { closedPort } from '../../support/wire-server.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('redis health check against a real Redis', () => {
  it('passes on PING against the running server and fails against a closed port', async (t) => {
    const skip = await requireService('Redis', async () => {
      const client = new Redis(REDIS_URL, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        connectTimeout: 2000,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.ping();
      } finally {
        client.disconnect();
      }
    });
    if (skip !== undefined) return t.skip(skip);
    const up = redisCheck(REDIS_URL);
    const down = redisCheck(`redis://127.0.0.1:${await closedPort()}`);
    try {
      assert.deepEqual(await up.run(AbortSignal.timeout(3000)), {
        status: 'pass',
        observed: { answer: 'PONG' },
      });
      const failed = await down.run(AbortSignal.timeout(3000));
      assert.equal(failed.status, 'fail');
      assert.ok((failed.message ?? '').length > 0);
    } finally {
      await up.close();
      await down.close();
    }
  });
});
