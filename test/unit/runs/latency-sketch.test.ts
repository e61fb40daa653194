import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bucketValue,
  LATENCY_RELATIVE_ACCURACY,
  latencyBucket,
  sketchOf,
  sketchPercentile,
  ZERO_BUCKET,
} from '../../../src/runs/latency-sketch.js';
import { percentile } from '../../../src/runs/run-summary.js';

/** A deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('latency sketch', () => {
  it('puts every value within the relative accuracy of its bucket value', () => {
    const next = random(3);
    for (let i = 0; i < 10_000; i++) {
      const ms = Math.exp(next() * 20 - 5);
      const value = bucketValue(latencyBucket(ms));
      assert.ok(Math.abs(value - ms) <= LATENCY_RELATIVE_ACCURACY * ms * (1 + 1e-9), `${ms}`);
    }
    assert.equal(latencyBucket(0), ZERO_BUCKET);
    assert.equal(bucketValue(ZERO_BUCKET), 0);
  });

  it('answers percentiles within 1 % of the exact interpolated ones, zeros included', () => {
    const next = random(11);
    for (const size of [1, 2, 3, 10, 101, 5000]) {
      const values = Array.from({ length: size }, () =>
        next() < 0.05 ? 0 : 1 + next() * next() * 3000,
      );
      const sorted = [...values].sort((a, b) => a - b);
      const sketch = sketchOf(values);
      for (const p of [0, 0.01, 0.5, 0.9, 0.95, 0.99, 1]) {
        const exact = percentile(sorted, p) ?? NaN;
        const got = sketchPercentile(sketch, p) ?? NaN;
        assert.ok(
          Math.abs(got - exact) <= LATENCY_RELATIVE_ACCURACY * exact + 1e-9,
          `size ${size} p${p}: ${got} vs ${exact}`,
        );
      }
    }
    assert.equal(sketchPercentile(new Map(), 0.5), null);
  });

  it('is the same sketch whatever the order or the batches its values arrive in', () => {
    const next = random(5);
    const values = Array.from({ length: 2000 }, () => next() * 800);
    const whole = sketchOf(values);
    const merged = new Map<number, number>();
    for (let i = 0; i < values.length; i += 37)
      for (const [bucket, n] of sketchOf(values.slice(i, i + 37).reverse()))
        merged.set(bucket, (merged.get(bucket) ?? 0) + n);
    assert.deepEqual(
      new Map([...merged].sort((a, b) => a[0] - b[0])),
      new Map([...whole].sort((a, b) => a[0] - b[0])),
    );
  });
});
