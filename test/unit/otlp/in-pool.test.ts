import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inPool } from '../../../src/otlp/in-pool.js';

/** Work items that finish only when the test releases them, recording how many ran at once. */
function gatedWork() {
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const release: (() => void)[] = [];
  const work = async (item: number) => {
    running++;
    peak = Math.max(peak, running);
    started.push(item);
    await new Promise<void>((resolve) => release.push(resolve));
    running--;
  };
  return { work, started, release, peak: () => peak };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('inPool', () => {
  it('runs at most `limit` items at a time, in order, and every item once', async () => {
    const gate = gatedWork();
    const done = inPool([1, 2, 3, 4, 5], 2, gate.work);
    await settle();
    assert.deepEqual(gate.started, [1, 2], 'two lanes start');
    gate.release.shift()?.();
    await settle();
    assert.deepEqual(gate.started, [1, 2, 3], 'a freed lane takes the next item');
    while (gate.started.length < 5 || gate.release.length > 0) {
      gate.release.shift()?.();
      await settle();
    }
    await done;
    assert.deepEqual(gate.started, [1, 2, 3, 4, 5]);
    assert.equal(gate.peak(), 2);
  });

  it('treats a limit below 1 as 1 and finishes an empty list at once', async () => {
    const gate = gatedWork();
    const done = inPool([1, 2], 0, gate.work);
    await settle();
    assert.deepEqual(gate.started, [1]);
    gate.release.shift()?.();
    await settle();
    gate.release.shift()?.();
    await done;
    assert.equal(gate.peak(), 1);
    await inPool([], 3, gate.work);
  });
});
