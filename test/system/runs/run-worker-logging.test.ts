/**
 * A run job failing for a reason other than a routine hand-back (here: the error a worker
 * without the encryption key used to hit on every job) is logged at warn while BullMQ retries
 * it, not at debug where nobody sees it. The executor is a stand-in that throws that error:
 * fault injection the real engine (now given the cipher) cannot produce. Needs Redis.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { BullRunQueue } from '../../../src/runs/bull-run-queue.js';
import type { RunExecutor } from '../../../src/runs/run-executor.js';
import { startRunWorker, type RunWorker } from '../../../src/runs/run-worker.js';
import { createLogger } from '../../../src/telemetry/logging/index.js';
import { REDIS_URL, requireRedis, throwawayRedisPrefix } from '../../support/redis.js';
import { waitFor } from '../../support/run-helpers.js';

const prefix = throwawayRedisPrefix();
const MESSAGE = 'A stored prompt_cards.prompt_template is encrypted with key k1';

describe('run worker logging', () => {
  let worker: RunWorker | undefined;
  let queue: BullRunQueue | undefined;
  after(async () => {
    await worker?.close();
    await queue?.close();
  });

  it('logs a failing job at warn while it is retried', async (t) => {
    const skip = await requireRedis();
    if (skip !== undefined) return t.skip(skip);
    const lines: { level: number; msg: string; err?: { message?: string } }[] = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
    });
    const executor = {
      executeJob: () => Promise.reject(new Error(MESSAGE)),
    } as unknown as RunExecutor;
    worker = startRunWorker({
      redisUrl: REDIS_URL,
      prefix,
      leaseTtlMs: 3000,
      jobs: 1,
      executor,
      logger,
    });
    queue = new BullRunQueue({ redisUrl: REDIS_URL, prefix, jobItems: 10, leaseTtlMs: 3000 });
    await queue.enqueue({ id: 'run-1', total_items: 1 });
    const line = await waitFor('the warning', () =>
      lines.find((l) => l.msg === 'run job will be retried'),
    );
    assert.equal(line.level, 40);
    assert.equal(line.err?.message, MESSAGE);
  });
});
