import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_SEVERITIES,
  StreamingAnomalyDetector,
} from '../../../src/analytics/anomaly-detector.js';
import { SERIES, seriesInfo } from '../../../src/analytics/series-catalog.js';
import { SeriesJudge, type Judgement } from '../../../src/analytics/series-judge.js';

const SECOND = 1000;
const START = Date.parse('2026-12-01T09:00:00Z');
const options = { threshold: 0.995, severities: DEFAULT_SEVERITIES, intervalMs: SECOND };

function noise(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
}

function judgeAll(
  judge: SeriesJudge,
  values: readonly number[],
  step = SECOND,
): (Judgement | null)[] {
  return values.map((v, i) => judge.update(v, START + i * step));
}

const raised = (points: readonly (Judgement | null)[]) =>
  points.flatMap((p, i) =>
    p?.anomaly === true ? [{ i, kind: p.kind, severity: p.severity }] : [],
  );

/** A database growing by one 32 KiB chunk every 8 s on average (SQLite pages, a WAL checkpoint). */
function pagedGrowth(length: number, seed: number): number[] {
  const next = noise(seed);
  let size = 69 * 4096;
  return Array.from({ length }, () => (size += next() > 0.75 ? 32_768 : 0));
}

describe('series judged by kind', () => {
  it('every catalogued series declares a kind, a harmful direction and whether it pages', () => {
    for (const s of SERIES) assert.ok(['level', 'rate', 'monotonic', 'ratio'].includes(s.kind));
    assert.equal(seriesInfo('database_size_bytes')?.kind, 'monotonic');
    assert.equal(seriesInfo('error_ratio')?.kind, 'ratio');
    assert.equal(seriesInfo('effectiveness_mean:m')?.kind, 'ratio');
  });

  it('a database growing in page-sized steps is out of range for the bare detector, never for its kind', () => {
    const values = pagedGrowth(3000, 5);
    const bare = new StreamingAnomalyDetector();
    const flagged = values
      .map((v, i) => bare.update(v, START + i * SECOND))
      .filter((p) => p.anomaly && p.kind === 'out_of_range');
    // The rule a stream of new maxima trips: the bare detector calls the growth critical.
    assert.ok(flagged.length > 0 && flagged.some((p) => p.severity === 'critical'));
    const judge = new SeriesJudge(seriesInfo('database_size_bytes') ?? assert.fail(), options);
    const points = judgeAll(judge, values);
    assert.deepEqual(
      raised(points).filter((r) => r.severity === 'high' || r.severity === 'critical'),
      [],
    );
    assert.ok(points.every((p) => p === null || p.kind === 'growth_rate_change'));
  });

  it('the trend guard keeps a steady ramp in range and still flags a real jump', () => {
    const values = pagedGrowth(3000, 9);
    values[2500] = (values[2499] ?? 0) * 3;
    const guarded = new StreamingAnomalyDetector({ trendGuard: true });
    const points = values.map((v, i) => guarded.update(v, START + i * SECOND));
    const outOfRange = points.flatMap((p, i) => (p.kind === 'out_of_range' ? [i] : []));
    assert.deepEqual(outOfRange, [2500]);
  });

  it('judges a monotonic total by its growth rate: a faster growth is a growth-rate change', () => {
    const next = noise(3);
    let size = 1e6;
    const values = Array.from(
      { length: 1500 },
      (_, t) => (size += (t < 1200 ? 1000 : 8000) + 50 * next()),
    );
    const judge = new SeriesJudge(seriesInfo('database_size_bytes') ?? assert.fail(), options);
    const found = raised(judgeAll(judge, values));
    const change = found.find((r) => r.i >= 1200);
    assert.ok(change !== undefined && change.i < 1210, JSON.stringify(found));
    assert.equal(change.kind, 'growth_rate_change');
    // Nobody acts on a database that grows faster: it informs, it does not page.
    assert.ok(found.every((r) => r.severity === 'low'));
  });

  it('a ratio that is always zero has a scale of one percentage point, not zero', () => {
    const values = Array.from({ length: 600 }, (_, t) => (t === 500 ? 0.05 : 0));
    const points = judgeAll(
      new SeriesJudge(seriesInfo('error_ratio') ?? assert.fail(), options),
      values,
    );
    const at = points[500];
    assert.ok(at !== null && at !== undefined);
    assert.equal(at.spread, 0.01);
    assert.ok(Math.abs(at.deviation - 5) < 1e-9, `deviation ${at.deviation}`);
    assert.ok(at.anomaly);
    assert.equal(at.kind, 'spike');
  });

  it('pages only for a sustained deviation in the harmful direction of a series an operator acts on', () => {
    const next = noise(13);
    const base = Array.from({ length: 6000 }, () => 0.05 + 0.002 * next());
    const info = seriesInfo('latency_p95_seconds') ?? assert.fail();
    // A single spike: raised, but it does not page.
    const spike = [...base];
    spike[5000] = 0.5;
    const single = raised(judgeAll(new SeriesJudge(info, options), spike));
    assert.deepEqual(
      single.map((r) => r.i),
      [5000],
    );
    assert.equal(single[0]?.severity, 'medium');
    // A step that holds (sampled every 15 s, the default): raised at once, escalated when it
    // has held for 60 s, four intervals later.
    const step = base.map((v, i) => (i >= 5000 ? v + 0.5 : v));
    const every15s = { ...options, intervalMs: 15 * SECOND };
    const held = raised(judgeAll(new SeriesJudge(info, every15s), step, 15 * SECOND));
    assert.deepEqual(
      held.map((r) => [r.i, r.severity]),
      [
        [5000, 'medium'],
        [5004, 'critical'],
      ],
    );
    // Latency that falls is good news: at most low.
    const drop = base.map((v, i) => (i >= 5000 ? v / 10 : v));
    const fell = raised(judgeAll(new SeriesJudge(info, options), drop));
    assert.ok(fell.length > 0 && fell.every((r) => r.severity === 'low'), JSON.stringify(fell));
  });

  it('a value beyond the whole range seen is a new incident, even in the rest after a small one', () => {
    // The soak's latency step: a 40 ms spike (raised, medium) starts the detector's rest period
    // of 100 samples; 88 samples later Redis hangs and the probes' 2 s timeouts show in every
    // other sample (2.31 s, 0.005 s, …). It was raised nowhere: the first 2.31 s fell in the
    // rest, and by the time the rest ended it was no longer beyond the range nor rare.
    const next = noise(23);
    const info = seriesInfo('latency_p95_seconds') ?? assert.fail();
    const values = Array.from({ length: 600 }, () => 0.007 + 0.003 * next());
    values[388] = 0.04;
    for (let i = 476; i < 491; i++) values[i] = i % 2 === 0 ? 2.31 : 0.005;
    const soak = {
      threshold: 0.99,
      severities: { low: 0.98, medium: 0.99, high: 0.994, critical: 0.995 },
      intervalMs: SECOND,
    };
    const found = raised(judgeAll(new SeriesJudge(info, soak), values));
    assert.deepEqual(
      found.filter((r) => r.i >= 470).map((r) => [r.i, r.kind]),
      [[476, 'out_of_range']],
      JSON.stringify(found),
    );
    // Held for 15 s it stays medium: a page needs the deviation held for 60 s.
    const held = values.map((v, i) => (i >= 476 && i < 491 ? 2.31 : v));
    const step = raised(judgeAll(new SeriesJudge(info, soak), held)).filter((r) => r.i >= 470);
    assert.deepEqual(
      step.map((r) => [r.i, r.severity]),
      [[476, 'medium']],
    );
  });

  it('raises nothing during the grace period after a gap', () => {
    const next = noise(17);
    const info = seriesInfo('latency_p95_seconds') ?? assert.fail();
    const judge = new SeriesJudge(info, options);
    for (let i = 0; i < 2000; i++) judge.update(0.05 + 0.002 * next(), START + i * SECOND);
    // Ten minutes without samples (a restart), then a value far off: inside the grace period.
    const back = START + 2000 * SECOND + 600_000;
    const first = judge.update(0.5, back);
    assert.equal(first?.anomaly, false);
    const rest = Array.from({ length: 29 }, (_, i) =>
      judge.update(0.05 + 0.002 * next(), back + (i + 1) * SECOND),
    );
    assert.ok(rest.every((p) => p?.anomaly === false));
  });

  it('raises nothing during the grace period after a restart, however short the pause', () => {
    const next = noise(19);
    const info = seriesInfo('latency_p95_seconds') ?? assert.fail();
    const judge = new SeriesJudge(info, options);
    // The replayed history, then a restart 2 s later (no gap) whose first sample is far off.
    for (let i = 0; i < 2000; i++) judge.update(0.05 + 0.002 * next(), START + i * SECOND);
    judge.restartGrace();
    const back = START + 2001 * SECOND;
    assert.equal(judge.update(0.5, back)?.anomaly, false);
    // Once the grace (and the detector's rest after that point) is over, it is raised.
    for (let i = 1; i < 150; i++) judge.update(0.05 + 0.002 * next(), back + i * SECOND);
    assert.equal(judge.update(0.5, back + 150 * SECOND)?.anomaly, true);
  });
});
