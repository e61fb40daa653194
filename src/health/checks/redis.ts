import { Redis } from 'ioredis';
import type { HealthCheck } from '../health-check.js';

/** PING on the configured Redis (REDIS_URL). Not critical: the service runs in process without it. */
export function redisCheck(url: string): HealthCheck & { close(): Promise<void> } {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 1000,
  });
  // Errors surface through the check; without a listener ioredis would log them as unhandled.
  client.on('error', () => undefined);
  return {
    name: 'redis',
    critical: false,
    async run() {
      try {
        if (client.status === 'wait' || client.status === 'end') await client.connect();
        const answer = await client.ping();
        return { status: answer === 'PONG' ? 'pass' : 'fail', observed: { answer } };
      } catch (error) {
        return { status: 'fail', message: error instanceof Error ? error.message : String(error) };
      }
    },
    close: async () => {
      client.disconnect();
      return Promise.resolve();
    },
  };
}
