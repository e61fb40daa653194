/**
 * Many model calls in flight on one caller's signal (a run's) follow it through one listener,
 * and cancellation still reaches every one of them with the signal's reason.
 */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { followAbort } from '../../../src/providers/abort-fanout.js';
import { ModelClient, SimulatedProvider } from '../../../src/providers/index.js';

function client(): ModelClient {
  return new ModelClient(
    [new SimulatedProvider({ seed: 1, latencyMs: 200, latencyJitter: 0, failureRate: 0 })],
    {
      timeoutMs: 10_000,
      maxRetries: 0,
      prices: {},
      embeddingModel: 'simulated:fast',
      graderModel: 'simulated:fast',
    },
  );
}

describe('a shared caller signal', () => {
  it('gets one abort listener for 50 calls in flight, and aborting cancels them all', async () => {
    const models = client();
    const controller = new AbortController();
    const calls = Array.from({ length: 50 }, (_, i) =>
      models.chat('simulated:fast', [{ role: 'user', content: `q${i}` }], controller.signal),
    );
    // The calls' own attempts are under way: each has followed the signal by now.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
    const reason = new Error('run cancelled');
    controller.abort(reason);
    const settled = await Promise.allSettled(calls);
    for (const outcome of settled) {
      assert.equal(outcome.status, 'rejected');
      assert.equal(outcome.reason, reason);
    }
  });

  it('keeps one listener across calls that finish, and answers them normally', async () => {
    const models = client();
    const controller = new AbortController();
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(
        Array.from({ length: 5 }, () =>
          models.chat('simulated:fast', [{ role: 'user', content: 'hi' }], controller.signal),
        ),
      );
      assert.equal(answers.length, 5);
    }
    assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
  });
});

describe('followAbort', () => {
  it('calls each current follower once, in order, and none that stopped following', () => {
    const controller = new AbortController();
    const called: string[] = [];
    followAbort(controller.signal, () => called.push('a'));
    const stopB = followAbort(controller.signal, () => called.push('b'));
    followAbort(controller.signal, () => called.push('c'));
    stopB();
    controller.abort();
    controller.abort();
    assert.deepEqual(called, ['a', 'c']);
  });
});
