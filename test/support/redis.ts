/**
 * Redis for system tests: the URL, a probe that skips (or fails under REQUIRE_SYSTEM=1), and a
 * key prefix unique to the test file whose keys are deleted when the file ends.
 */
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import { Redis } from 'ioredis';
import { requireService } from './system.js';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function requireRedis(): Promise<string | undefined> {
  return requireService('Redis', async () => {
    const client = new Redis(REDIS_URL, {
      lazyConnect: true,
      connectTimeout: 3000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
    } finally {
      client.disconnect();
    }
  });
}

/** A prefix for this test file's Redis keys; everything under it is deleted afterwards. */
export function throwawayRedisPrefix(): string {
  const prefix = `pcs-test-${randomBytes(4).toString('hex')}`;
  after(async () => {
    const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await client.del(...keys);
      } while (cursor !== '0');
    } catch {
      // Redis is gone: nothing to clean.
    } finally {
      client.disconnect();
    }
  });
  return prefix;
}
