import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lagSummary, secondHalf, trend } from '../../../bench/otlp-soak-stats.js';

const every5s = (mibs: number[]) => mibs.map((mib, i) => ({ atMs: i * 5000, mib }));

describe('OTLP soak figures', () => {
  it('fits the slope in MiB per minute through noisy samples', () => {
    // 1 MiB per 5 s is 12 MiB/min; a sawtooth of ±3 MiB around it does not change the fit much.
    const rising = every5s(Array.from({ length: 25 }, (_, i) => 200 + i + (i % 2 === 0 ? 3 : -3)));
    const fit = trend(rising);
    assert.ok(Math.abs(fit.mibPerMinute - 12) < 0.5, `slope ${fit.mibPerMinute}`);
    assert.equal(fit.firstMiB, 203);
    assert.equal(fit.peakMiB, 227);
    assert.equal(fit.lastMiB, 227);
  });

  it('calls a bounded wave flat however high its peaks', () => {
    // Up for 30 s, down for 30 s, 10 times: 240 … 390 MiB with no trend.
    const wave = (i: number) => 240 + Math.abs((i % 12) - 6) * 25;
    const sawtooth = every5s(Array.from({ length: 121 }, (_, i) => wave(i)));
    assert.ok(Math.abs(trend(sawtooth).mibPerMinute) < 1);
    assert.equal(trend(sawtooth).peakMiB, 390);
  });

  it('keeps the samples of the second half of the ingest', () => {
    const samples = every5s([1, 2, 3, 4, 5, 6]); // at 0 … 25 s
    assert.deepEqual(
      secondHalf(samples, 20_000).map((s) => s.mib),
      [3, 4, 5, 6],
    );
    assert.ok(
      Number.isNaN(trend(secondHalf(samples, 50_000).concat(samples[5] ?? [])).mibPerMinute),
    );
  });

  it('gives nearest-rank lag percentiles', () => {
    const lags = Array.from({ length: 200 }, (_, i) => (200 - i) / 100); // 0.01 … 2.00 s, reversed
    assert.deepEqual(lagSummary(lags), { count: 200, p50: 1, p99: 1.98, max: 2 });
    assert.deepEqual(lagSummary([0.5]), { count: 1, p50: 0.5, p99: 0.5, max: 0.5 });
  });
});
