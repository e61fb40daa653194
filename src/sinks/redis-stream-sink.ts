/**
 * `EVENT_SINK=redis-stream`: each CloudEvent is one stream entry (XADD, auto id) of
 * `REDIS_STREAM_KEY` with the fields `id`, `type`, `subject` and `event` (the CloudEvent JSON).
 * A batch is one MULTI/EXEC, so it is accepted or failed as a whole. The stream is trimmed
 * approximately to `maxLength` entries (`MAXLEN ~`), which bounds Redis memory; consumers
 * (XREAD or consumer groups) that fall further behind than that lose the oldest entries.
 */
import { Redis } from 'ioredis';
import type { CloudEvent } from './cloud-event.js';
import type { EventSink } from './event-sink.js';

export interface RedisStreamOptions {
  readonly url: string;
  readonly streamKey: string;
  readonly maxLength: number;
}

export function redisStreamSink(options: RedisStreamOptions): EventSink {
  const client = new Redis(options.url, {
    // Fail commands at once while disconnected: the relay backs off and the rows wait.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    lazyConnect: true,
  });
  // Failures surface through publish and check; ioredis would otherwise log them as unhandled.
  client.on('error', () => undefined);
  const connected = async (): Promise<void> => {
    if (client.status === 'wait' || client.status === 'end') await client.connect();
  };
  return {
    name: 'redis-stream',
    async publish(events: readonly CloudEvent[]) {
      await connected();
      const multi = client.multi();
      for (const event of events) {
        multi.xadd(
          options.streamKey,
          'MAXLEN',
          '~',
          options.maxLength,
          '*',
          'id',
          event.id,
          'type',
          event.type,
          'subject',
          event.subject,
          'event',
          JSON.stringify(event),
        );
      }
      const replies = await multi.exec();
      if (replies === null) throw new Error('Redis aborted the transaction');
      const failed = replies.find(([error]) => error !== null);
      if (failed?.[0] != null) throw failed[0];
    },
    async check() {
      try {
        await connected();
        const answer = await client.ping();
        return { status: answer === 'PONG' ? 'pass' : 'fail', observed: { answer } };
      } catch (error) {
        return { status: 'fail', message: error instanceof Error ? error.message : String(error) };
      }
    },
    close() {
      client.disconnect();
      return Promise.resolve();
    },
  };
}
