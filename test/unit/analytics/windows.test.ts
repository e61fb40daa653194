import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RankWindow } from '../../../src/analytics/rank-window.js';
import { SortedWindow } from '../../../src/analytics/sorted-window.js';

function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 16807) % 2147483647) / 2147483647;
}

describe('sliding windows', () => {
  it('SortedWindow answers quantiles and ranks exactly like sorting the last values', () => {
    const next = random(7);
    const window = new SortedWindow(50);
    const all: number[] = [];
    for (let i = 0; i < 500; i++) {
      const value = Math.round(next() * 100) / 10; // ties on purpose
      window.push(value);
      all.push(value);
      const kept = all.slice(-50).sort((a, b) => a - b);
      assert.equal(window.size, kept.length);
      for (const p of [0, 0.25, 0.5, 0.99])
        assert.equal(
          window.quantile(p),
          kept[Math.min(kept.length - 1, Math.floor(p * kept.length))],
        );
      assert.equal(window.countAtLeast(5), kept.filter((v) => v >= 5).length);
    }
  });

  it('RankWindow ranks and takes quantiles to its bin precision over many decades', () => {
    const next = random(11);
    const window = new RankWindow(200);
    const all: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const value = 10 ** (next() * 8 - 4); // 1e-4 … 1e4
      window.push(value);
      all.push(value);
    }
    const kept = all.slice(-200).sort((a, b) => a - b);
    for (const probe of [1e-3, 0.5, 3, 700]) {
      const exact = kept.filter((v) => v >= probe).length;
      // Values within 0.7 % of the probe may share its bin.
      const near = kept.filter((v) => Math.abs(v / probe - 1) < 0.01).length;
      assert.ok(Math.abs(window.countAtLeast(probe) - exact) <= near, `rank of ${probe}`);
    }
    for (const p of [0.1, 0.5, 0.98]) {
      const exact = kept[Math.ceil(p * kept.length) - 1] ?? NaN;
      assert.ok(Math.abs(window.quantile(p) / exact - 1) < 0.01, `quantile ${p}`);
    }
    assert.ok(Number.isNaN(new RankWindow(3).quantile(0.5)));
    assert.throws(() => new RankWindow(0), RangeError);
  });
});
