import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamingAnomalyDetector } from '../../../src/analytics/anomaly-detector.js';
import {
  crossValidateNab,
  replayDetections,
  type GridPoint,
} from '../../../src/analytics/nab-cross-validation.js';
import type { NabFile } from '../../../src/analytics/nab-data.js';

function noise(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
}

/** A noisy level with spikes of `height` at `at`, each inside a 40-row window. */
function file(category: string, seed: number, at: number[], height: number): NabFile {
  const next = noise(seed);
  const values = Array.from({ length: 3000 }, () => 10 + next());
  for (const i of at) values[i] = 10 + height;
  return {
    name: `${category}/${seed}.csv`,
    category,
    times: values.map((_, i) => i * 300_000),
    values,
    windows: at.map((i) => ({ left: i - 20, right: i + 19 })),
  };
}

describe('NAB cross-validation', () => {
  it('replays the detector’s own rest period exactly', () => {
    const { values, times } = file('a', 3, [1000, 1050, 2000], 6);
    const flagged = (threshold: number) => {
      const detector = new StreamingAnomalyDetector({ threshold, restPeriod: 100 });
      return values.flatMap((v, i) => (detector.update(v, times[i]).anomaly ? [i] : []));
    };
    const free = new StreamingAnomalyDetector({ threshold: Infinity, restPeriod: 100 });
    const scores = Float64Array.from(values, (v, i) => free.update(v, times[i]).score);
    const all = values.map((_, i) => i);
    for (const threshold of [0.9, 0.99, 0.995, 0.999])
      assert.deepEqual(replayDetections(all, scores, threshold, 100), flagged(threshold));
  });

  it('judges each category with the choice made on the others', () => {
    // Category "loud" has spikes of 8 (seen at any setting), "quiet" spikes of 1.5 that only a
    // low minimum deviation lets through; the other category's best choice misses them.
    const corpus = [
      file('loud', 1, [1200, 2400], 8),
      file('loud', 2, [1500, 2600], 8),
      file('quiet', 3, [1300, 2500], 2.6),
      file('quiet', 4, [1400, 2700], 2.6),
    ];
    const grid: GridPoint[] = [
      { name: 'strict', options: { minDeviation: 6, spatialTolerance: Infinity } },
      { name: 'lenient', options: { minDeviation: 2, spatialTolerance: Infinity } },
    ];
    const result = crossValidateNab(corpus, grid).standard;
    assert.ok(result.cv < result.inSample.score, JSON.stringify(result));
    assert.equal(result.inSample.grid, 'lenient');
    assert.deepEqual(Object.keys(result.folds).sort(), ['loud', 'quiet']);
  });
});
