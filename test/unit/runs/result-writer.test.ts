/**
 * The result writer's group commit: results finished in different turns of the event loop are
 * stored in one batch when they wait within the linger, `flushNow` writes at once, and every
 * write still resolves only after its batch is stored.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResultWriter } from '../../../src/runs/result-writer.js';
import type { RunResult } from '../../../src/runs/run-schema.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function result(id: string): RunResult {
  return { id } as unknown as RunResult;
}

/** A store that records each batch's ids and answers every id as written. */
function recordingStore() {
  const batches: string[][] = [];
  const insertMany = (results: readonly RunResult[]) => {
    batches.push(results.map((r) => r.id));
    return Promise.resolve(new Set(results.map((r) => r.id)));
  };
  return { batches, insertMany };
}

describe('ResultWriter', () => {
  it('stores results of different turns in one batch within the linger; flushNow writes them', async () => {
    const { batches, insertMany } = recordingStore();
    // A linger no test run reaches: only flushNow can start the batch.
    const writer = new ResultWriter(insertMany, 3_600_000);
    const written: Promise<boolean>[] = [];
    for (const id of ['a', 'b', 'c']) {
      written.push(writer.write(result(id)));
      await nextTurn();
    }
    assert.deepEqual(batches, [], 'nothing is written while the first result lingers');
    writer.flushNow();
    assert.deepEqual(await Promise.all(written), [true, true, true]);
    assert.deepEqual(batches, [['a', 'b', 'c']]);
  });

  it('without a linger, each turn is its own batch (the results of one turn together)', async () => {
    const { batches, insertMany } = recordingStore();
    const writer = new ResultWriter(insertMany);
    const first = [writer.write(result('a')), writer.write(result('b'))];
    await Promise.all(first);
    await writer.write(result('c'));
    assert.deepEqual(batches, [['a', 'b'], ['c']]);
  });

  it('a failed batch rejects each of its writes; the next batch is written', async () => {
    let calls = 0;
    const writer = new ResultWriter((results) => {
      calls++;
      if (calls === 1) return Promise.reject(new Error('database down'));
      return Promise.resolve(new Set(results.map((r) => r.id)));
    }, 3_600_000);
    const failed = writer.write(result('a'));
    writer.flushNow();
    await assert.rejects(failed, /database down/);
    const ok = writer.write(result('b'));
    writer.flushNow();
    assert.equal(await ok, true);
  });
});
