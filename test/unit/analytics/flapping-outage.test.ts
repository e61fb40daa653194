/**
 * A real outage whose samples flap: the error ratio is 40 % for ten minutes (an hour at 15 s
 * sampling), but now and then one sample sees no errors (a second with few requests, a retry
 * that landed). Each clean sample restarts the 60 s `for:` window, so the outage never pages.
 * A Prometheus rule judges `rate(...[5m])`, which such a sample barely moves.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SEVERITIES } from '../../../src/analytics/anomaly-detector.js';
import { seriesInfo } from '../../../src/analytics/series-catalog.js';
import { SeriesJudge } from '../../../src/analytics/series-judge.js';

const SECOND = 1000;
const START = Date.parse('2026-12-01T09:00:00Z');
const PAGING = new Set(['high', 'critical']);

function noise(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
}

/** The highest severity raised over `values` sampled every `intervalMs`. */
function raised(values: readonly number[], intervalMs: number, severities = DEFAULT_SEVERITIES) {
  const judge = new SeriesJudge(seriesInfo('error_ratio') ?? assert.fail('error_ratio'), {
    threshold: 0.995,
    severities,
    intervalMs,
  });
  const found: { i: number; severity: string | null }[] = [];
  values.forEach((v, i) => {
    const p = judge.update(v, START + i * intervalMs);
    if (p?.anomaly === true) found.push({ i, severity: p.severity });
  });
  return found;
}

// Not fixed: a clean sample ends the run by design (series-judge.ts, PAUSE_SAMPLES keeps only
// the ranking). `todo` until the `for:` window tolerates such samples: both fail today.
const TODO = { todo: 'a clean sample restarts the 60 s window, so a flapping outage never pages' };

describe('a flapping outage pages', () => {
  it('1 s sampling: 40 % errors for 10 min, one clean sample in 30', TODO, () => {
    const next = noise(41);
    const values = Array.from({ length: 1300 }, (): number => (next() > 0.995 ? 0.01 : 0));
    for (let i = 600; i < 1200; i++) values[i] = i % 30 === 0 ? 0 : 0.4;
    const found = raised(values, SECOND, {
      low: 0.98,
      medium: 0.99,
      high: 0.994,
      critical: 0.995,
    });
    assert.ok(
      found.some((f) => PAGING.has(f.severity ?? '')),
      `a 10-minute outage never paged: ${JSON.stringify(found)}`,
    );
  });

  it('15 s sampling: 40 % errors for an hour, every fourth scrape clean', TODO, () => {
    const interval = 15 * SECOND;
    const next = noise(37);
    const values = Array.from({ length: 4200 }, (): number => (next() > 0.995 ? 0.01 : 0));
    for (let i = 3800; i < 4040; i++) values[i] = i % 4 === 0 ? 0 : 0.4;
    const found = raised(values, interval);
    assert.ok(
      found.some((f) => PAGING.has(f.severity ?? '')),
      `an hour-long outage never paged: ${JSON.stringify(found)}`,
    );
  });
});
