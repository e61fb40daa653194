import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planCapacity } from '../../../src/analytics/capacity.js';

const HOUR = 3_600_000;

describe('capacity planning', () => {
  it('finds when a linear ramp crosses its limit', () => {
    // One point an hour for two days, growing 10 per hour from 100: 1,000 is reached 90 h in,
    // that is 42 h after the last point (t = 47 h, value 570).
    const start = 0;
    const points = Array.from({ length: 48 }, (_, i) => ({ t: start + i * HOUR, v: 100 + 10 * i }));
    const now = 47 * HOUR;
    const plan = planCapacity(
      'database_size_bytes',
      points,
      HOUR,
      { value: 1000, direction: 'above', source: 'test' },
      now,
    );
    assert.ok(plan.crossesAt !== null);
    const crossingHours = (Date.parse(plan.crossesAt) - now) / HOUR;
    assert.ok(Math.abs(crossingHours - 43) <= 1, `crossing after ${crossingHours} h`);
    assert.deepEqual(
      plan.forecasts.map((f) => f.horizon),
      ['1h', '6h', '24h', '7d', '30d'],
    );
    const day = plan.forecasts[2];
    assert.ok(day !== undefined && Math.abs(day.mean - (570 + 240)) < 5, `24 h: ${day?.mean}`);
    assert.ok(day.lower <= day.mean && day.mean <= day.upper);
    assert.equal(plan.forecasts[3]?.extrapolated, true);
    assert.match(plan.recommendation, /in about 43 h: plan this week/);
  });

  it('sees a falling series reach a floor, and says when all is well or unknown', () => {
    const points = Array.from({ length: 48 }, (_, i) => ({ t: i * HOUR, v: 1000 - 5 * i }));
    const falling = planCapacity(
      'disk_free_bytes',
      points,
      HOUR,
      { value: 500, direction: 'below', source: 'test' },
      47 * HOUR,
    );
    assert.ok(falling.crossesAt !== null);
    const flat = Array.from({ length: 48 }, (_, i) => ({ t: i * HOUR, v: 10 + (i % 2) * 0.1 }));
    const fine = planCapacity(
      'process_rss_bytes',
      flat,
      HOUR,
      { value: 100, direction: 'above', source: 'test' },
      47 * HOUR,
    );
    assert.equal(fine.crossesAt, null);
    assert.match(fine.recommendation, /stays within its limit/);
    const none = planCapacity('cost_usd_per_day', flat, HOUR, null, 47 * HOUR);
    assert.match(none.recommendation, /No limit is configured/);
    const short = planCapacity('cost_usd_per_day', flat.slice(0, 3), HOUR, null, 2 * HOUR);
    assert.equal(short.forecasts.length, 0);
    assert.match(short.recommendation, /Not enough history/);
  });
});
