/**
 * The queue's Redis connection reconnects at least every second however long Redis was down:
 * BullMQ's default strategy waits up to 20 s between attempts, so after a 20 s outage workers
 * stayed away for up to 20 s more (measured in test/system/runs/topology-faults.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bullConnection, RECONNECT_MAX_DELAY_MS } from '../../../src/runs/bull-run-queue.js';

describe('bullConnection', () => {
  it('retries the connection at most a second apart, sooner at first', () => {
    const { retryStrategy, maxRetriesPerRequest } = bullConnection('redis://127.0.0.1:1');
    assert.equal(maxRetriesPerRequest, null, 'workers need blocking commands without a limit');
    assert.equal(typeof retryStrategy, 'function');
    const delays = [1, 2, 3, 5, 10, 20, 50, 1000].map((times) => retryStrategy(times));
    for (const delay of delays) {
      assert.ok(delay > 0 && delay <= RECONNECT_MAX_DELAY_MS, `delay ${delay}`);
    }
    assert.ok(delays[0] < RECONNECT_MAX_DELAY_MS, 'the first attempts come sooner');
  });
});
