import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  StreamingAnomalyDetector,
  severityOf,
  DEFAULT_SEVERITIES,
  type ScoredPoint,
} from '../../../src/analytics/anomaly-detector.js';

function noise(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
}

const HOUR = 3_600_000;

function stream(
  values: readonly number[],
  detector = new StreamingAnomalyDetector(),
): ScoredPoint[] {
  return values.map((value, i) => detector.update(value, i * 5 * 60_000));
}

describe('streaming anomaly detector', () => {
  it('flags a spike on a noisy sine at the spike, and nothing else', () => {
    const next = noise(3);
    // Long enough for the warm-up's deviations (taken against a young baseline) to leave the
    // ranking history: until then scores are conservative.
    const values = Array.from({ length: 6500 }, (_, t) => 50 + 10 * Math.sin(t / 40) + next());
    values[6000] = 95;
    const points = stream(values);
    // After the first cycles (the first trough is new to a young baseline), only the spike.
    const flagged = points.flatMap((p, i) => (p.anomaly && i > 1000 ? [i] : []));
    assert.deepEqual(flagged, [6000]);
    const spike = points[6000];
    // 95 lies beyond the range seen so far (40…60) by more than 5 % of it.
    assert.equal(spike?.kind, 'out_of_range');
    assert.equal(spike?.score, 1);
    assert.equal(spike?.severity, 'critical');
    assert.ok(points.every((p) => p.score >= 0 && p.score <= 1));
    // Without the out-of-range rule the rank of the deviation alone flags it as a spike, once the
    // level-shift test is weighted lightly enough (0.6) that the sine's own swings, a quarter of
    // a cycle long, do not outrank a 4-spread spike (at the default 0.9 they do: the score is 0.975).
    const ranked = stream(
      values,
      new StreamingAnomalyDetector({ spatialTolerance: Infinity, shiftWeight: 0.6 }),
    );
    assert.deepEqual(
      ranked.flatMap((p, i) => (p.anomaly && i > 1000 ? [i] : [])),
      [6000],
    );
    assert.equal(ranked[6000]?.kind, 'spike');
    assert.ok((ranked[6000]?.score ?? 0) > 0.999 && (ranked[6000]?.score ?? 2) < 1);
  });

  it('scores a value beyond the range seen so far (plus 5 % of it) as out of range', () => {
    const next = noise(21);
    // A ramp inside 0…10, then 10.4 (within the tolerance: not out of range) and 11 (beyond).
    const values = Array.from({ length: 400 }, (_, t) => 5 + 4.9 * Math.sin(t / 7) + 0.05 * next());
    values.push(10.4, 5, 11);
    const points = stream(values);
    assert.notEqual(points[400]?.kind, 'out_of_range');
    assert.equal(points[402]?.kind, 'out_of_range');
    assert.equal(points[402]?.score, 1);
    // During the warm-up nothing scores, however new the values are.
    assert.ok(points.slice(0, 70).every((p) => p.score === 0));
  });

  it('detects a level shift within a few points and calls it one incident', () => {
    const next = noise(5);
    const values = Array.from({ length: 3000 }, (_, t) => (t < 2000 ? 20 : 23) + next());
    const points = stream(values);
    const flagged = points.flatMap((p, i) => (p.anomaly ? [i] : []));
    assert.equal(flagged.length, 1, `flagged at ${flagged.join(', ')}`);
    const at = flagged[0] ?? -1;
    assert.ok(at >= 2000 && at < 2010, `detected at ${at}`);
    // Points right after the alert are in the rest period.
    assert.ok(points[at + 1]?.suppressed);
  });

  it('stays quiet on a calm series whose wobbles are always the largest lately', () => {
    const next = noise(9);
    const points = stream(Array.from({ length: 5000 }, () => 100 + 0.01 * next()));
    assert.equal(points.filter((p) => p.anomaly).length, 0);
  });

  it('learns a daily rhythm when asked, so the daily peak is not an anomaly', () => {
    const next = noise(13);
    // Hourly points; a strong daily peak at 12:00 that a median baseline alone would flag.
    const values = Array.from({ length: 24 * 120 }, (_, t) => (t % 24 === 12 ? 80 : 20) + next());
    const detector = new StreamingAnomalyDetector({
      seasonality: 'daily',
      window: 500,
      recurringDiscount: 0,
    });
    const points = values.map((v, t) => detector.update(v, t * HOUR));
    const lateFlags = points.slice(24 * 60).filter((p) => p.anomaly).length;
    assert.equal(lateFlags, 0);
    const plain = new StreamingAnomalyDetector({
      window: 500,
      seasonality: 'off',
      recurringDiscount: 0,
    });
    const plainFlags = values
      .map((v, t) => plain.update(v, t * HOUR))
      .slice(24 * 60)
      .filter((p) => p.anomaly).length;
    assert.ok(plainFlags > 0, 'without the daily offset the peaks look anomalous');
  });

  it('expects an event that recurs at the same time each day, and still flags a one-off one', () => {
    const next = noise(17);
    // Five-minute points; a nightly job doubles the value for 15 minutes at 02:00 every day.
    const MINUTE = 60_000;
    const values = Array.from({ length: 288 * 20 }, (_, t) => {
      const minute = (t * 5) % 1440;
      return (minute >= 120 && minute < 135 ? 40 : 20) + next();
    });
    values[288 * 17 + 150] = 40; // once, at 12:30 on day 17
    const flags = (options: { recurringDiscount: number }) => {
      const detector = new StreamingAnomalyDetector({ ...options, spatialTolerance: Infinity });
      return values
        .map((v, t) => detector.update(v, t * 5 * MINUTE))
        .flatMap((p, t) => (p.anomaly && t >= 288 * 3 ? [t] : []));
    };
    // Without the discount the nightly job is flagged night after night.
    assert.ok(flags({ recurringDiscount: 0 }).length > 5);
    // With it (the default, 1) only the one-off event remains.
    assert.deepEqual(flags({ recurringDiscount: 1 }), [288 * 17 + 150]);
  });

  it('maps scores to severities by configurable thresholds', () => {
    assert.equal(severityOf(0.5, DEFAULT_SEVERITIES), null);
    assert.equal(severityOf(0.992, DEFAULT_SEVERITIES), 'low');
    assert.equal(severityOf(0.996, DEFAULT_SEVERITIES), 'medium');
    assert.equal(severityOf(0.9991, DEFAULT_SEVERITIES), 'high');
    assert.equal(severityOf(0.9, { low: 0.5, medium: 0.8, high: 0.85, critical: 0.95 }), 'high');
    assert.throws(() => new StreamingAnomalyDetector().update(NaN), RangeError);
  });
});
