/**
 * The answer cache in Redis (`<prefix>:answer:<hash>`), shared by every process: see
 * answer-cache.ts. In a file of its own so a process without REDIS_URL never loads ioredis.
 */
import { Redis } from 'ioredis';
import type { AnswerCache } from './answer-cache.js';
import { closeRedisClient } from './dependency-outage.js';
import type { ModelCall } from '../providers/index.js';

export class RedisAnswerCache implements AnswerCache {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1 });
    this.redis.on('error', () => undefined);
  }

  async get(key: string): Promise<ModelCall | undefined> {
    const text = await this.redis.get(`${this.prefix}:answer:${key}`).catch(() => null);
    return text === null ? undefined : (JSON.parse(text) as ModelCall);
  }

  async set(key: string, call: ModelCall): Promise<void> {
    await this.redis
      .set(`${this.prefix}:answer:${key}`, JSON.stringify(call), 'PX', this.ttlMs)
      .catch(() => undefined);
  }

  async close(): Promise<void> {
    await closeRedisClient(this.redis, 1000);
  }
}
