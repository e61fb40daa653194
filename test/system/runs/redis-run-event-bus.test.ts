/**
 * The run event bus on the real Redis, as the API and a worker use it: only a process that
 * relays progress (the API) subscribes to the events channel, so a worker never receives every
 * other worker's results; the events a process publishes in one turn go in one PUBLISH and
 * arrive in order; control messages reach every process. Fails (not skips) under
 * REQUIRE_SYSTEM=1 without Redis.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RedisRunEventBus } from '../../../src/runs/redis-run-event-bus.js';
import type { RunControl, RunEvent } from '../../../src/runs/run-events.js';
import { createLogger } from '../../../src/telemetry/logging/index.js';
import { REDIS_URL, requireRedis, throwawayRedisPrefix } from '../../support/redis.js';

const logger = createLogger({ level: 'silent' });

function resultEvent(n: number): RunEvent {
  return { type: 'result', run_id: 'run-1', result: { id: `r${n}` } } as unknown as RunEvent;
}

/** Resolves once `listener` has been given `count` items. */
function collect<T>(count: number): { items: T[]; push: (item: T) => void; done: Promise<void> } {
  const items: T[] = [];
  let resolve: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolve = r));
  return {
    items,
    push: (item) => {
      items.push(item);
      if (items.length === count) resolve();
    },
    done,
  };
}

describe('RedisRunEventBus', async () => {
  const skip = await requireRedis();

  it(
    'a worker hears control only; its results reach the API in one message per turn',
    { skip },
    async () => {
      const prefix = throwawayRedisPrefix();
      const api = await RedisRunEventBus.connect(REDIS_URL, prefix, logger);
      const worker = await RedisRunEventBus.connect(REDIS_URL, prefix, logger, false);
      const raw = new Redis(REDIS_URL);
      const watcher = new Redis(REDIS_URL);
      try {
        const [, subscribers] = (await raw.pubsub('NUMSUB', `${prefix}:run-events`)) as [
          string,
          number,
        ];
        assert.equal(subscribers, 1, 'only the API subscribes to the run events');

        const messages: string[] = [];
        await watcher.subscribe(`${prefix}:run-events`);
        watcher.on('message', (_channel: string, text: string) => messages.push(text));
        const heard = collect<RunEvent>(3);
        api.subscribe(heard.push);
        const own = collect<RunEvent>(3);
        worker.subscribe(own.push);
        for (const n of [1, 2, 3]) worker.publish(resultEvent(n));
        assert.equal(own.items.length, 3, "a process's own subscribers hear its events at once");
        await heard.done;
        assert.deepEqual(heard.items, [1, 2, 3].map(resultEvent), 'in order, each once');
        assert.equal(messages.length, 1, `one PUBLISH for one turn's events: ${messages.length}`);

        const alone = collect<RunEvent>(1);
        const unsubscribe = api.subscribe(alone.push);
        worker.publish(resultEvent(4));
        await alone.done;
        unsubscribe();
        assert.deepEqual(alone.items, [resultEvent(4)]);

        const controls = collect<RunControl>(1);
        worker.subscribeControl(controls.push);
        const cancel: RunControl = { type: 'run.cancel', run_id: 'run-1' };
        await Promise.all([api.publishControl(cancel), controls.done]);
        assert.deepEqual(controls.items, [cancel], 'control messages reach the worker');
      } finally {
        watcher.disconnect();
        raw.disconnect();
        await Promise.all([api.close(), worker.close()]);
      }
    },
  );

  it('events published just before close still go out', { skip }, async () => {
    const prefix = throwawayRedisPrefix();
    const api = await RedisRunEventBus.connect(REDIS_URL, prefix, logger);
    const worker = await RedisRunEventBus.connect(REDIS_URL, prefix, logger, false);
    try {
      const heard = collect<RunEvent>(1);
      api.subscribe(heard.push);
      worker.publish(resultEvent(1));
      await worker.close();
      await heard.done;
      assert.deepEqual(heard.items, [resultEvent(1)]);
    } finally {
      await api.close();
    }
  });
});
