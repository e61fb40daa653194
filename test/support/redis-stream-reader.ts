/** Reads back what the Redis Streams sink wrote: the CloudEvents of one stream key. */
import { Redis } from 'ioredis';
import { requireService } from './system.js';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface StreamEvent {
  readonly id: string;
  readonly type: string;
  readonly subject: string;
  /** The CloudEvent JSON as written. */
  readonly raw: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly event: any;
}

export function redisClient(): Redis {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  return client;
}

/** A skip reason when Redis is missing (a failure under REQUIRE_SYSTEM=1). */
export function requireRedis(): Promise<string | undefined> {
  return requireService('Redis', async () => {
    const client = redisClient();
    try {
      await client.connect();
      await client.ping();
    } finally {
      client.disconnect();
    }
  });
}

export async function readStream(client: Redis, key: string): Promise<StreamEvent[]> {
  const entries = await client.xrange(key, '-', '+');
  return entries.map(([, fields]) => {
    const map = new Map<string, string>();
    for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i], fields[i + 1]);
    const raw = map.get('event') ?? '{}';
    return {
      id: map.get('id') ?? '',
      type: map.get('type') ?? '',
      subject: map.get('subject') ?? '',
      raw,
      event: JSON.parse(raw) as unknown,
    };
  });
}
