import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PermanentWriteError, PointBuffer, type SinkMetrics } from '../../../src/sinks/index.js';
import { silentLogger } from '../../../src/telemetry/logging/index.js';

function counting() {
  const counts: Record<string, number> = {};
  const metrics: SinkMetrics = {
    writes: (_sink, outcome, n) => (counts[outcome] = (counts[outcome] ?? 0) + n),
    queueDepth: (_sink, depth) => (counts.depth = depth),
  };
  return { counts, metrics };
}

const options = {
  batchSize: 2,
  flushIntervalMs: 60_000,
  maxLines: 3,
  backoff: { baseDelayMs: 1, maxDelayMs: 2 },
};

describe('PointBuffer', () => {
  it('keeps at most maxLines, dropping the oldest, and counts them', async () => {
    const sent: string[] = [];
    const { counts, metrics } = counting();
    const buffer = new PointBuffer(
      't',
      (lines) => (sent.push(...lines), Promise.resolve()),
      metrics,
      silentLogger(),
      options,
    );
    buffer.add(['a', 'b', 'c', 'd', 'e']);
    assert.equal(buffer.size, 3);
    assert.equal(counts.dropped, 2);
    await buffer.flush();
    assert.deepEqual(sent, ['c', 'd', 'e']);
    assert.equal(counts.sent, 3);
    assert.equal(counts.depth, 0);
    await buffer.close(100);
  });

  it('keeps a failed batch for the retry and drops a permanently rejected one', async () => {
    const { counts, metrics } = counting();
    let fail: Error | undefined = new Error('down');
    const sent: string[] = [];
    const buffer = new PointBuffer(
      't',
      (lines) => (fail ? Promise.reject(fail) : (sent.push(...lines), Promise.resolve())),
      metrics,
      silentLogger(),
      options,
    );
    buffer.add(['a', 'b']);
    await buffer.flush();
    assert.equal(buffer.size, 2);
    assert.equal(counts.failed, 2);
    fail = new PermanentWriteError('400 bad line');
    await buffer.flush();
    assert.equal(buffer.size, 0);
    assert.equal(counts.dropped, 2);
    fail = undefined;
    buffer.add(['c']);
    await buffer.flush();
    assert.deepEqual(sent, ['c']);
    await buffer.close(100);
  });
});
