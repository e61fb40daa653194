/**
 * The analytics store contract, run against every database: SQLite in test/integration and
 * PostgreSQL in test/system. Each call of `open` must give an empty database.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { AnalyticsStore } from '../../src/analytics/index.js';
import type { DatabaseHandle } from '../../src/db/index.js';
import { suiteDatabase } from './suite-database.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1);

export function defineAnalyticsStoreSuite(
  label: string,
  open: () => Promise<DatabaseHandle | string>,
): void {
  describe(`AnalyticsStore on ${label}`, () => {
    const database = suiteDatabase(open);
    let store: AnalyticsStore;
    let clock = T0 + 2 * MINUTE;
    before(() => {
      if (!database.open) return;
      const { db, kind } = database.handle;
      store = new AnalyticsStore(db, kind, 86_400_000, () => clock);
    });

    it('keeps raw samples and folds them into one-minute roll-ups (count, sum, min, max)', async (t) => {
      if (database.skip(t)) return;
      // Four samples 15 s apart in minute 0, two in minute 1.
      const values = [1, 5, 3, 7, 10, 20];
      for (const [i, v] of values.entries())
        await store.record(
          T0 + i * 15_000,
          new Map([
            ['s', v],
            ['other', -v],
          ]),
        );
      await store.record(T0, new Map([['s', 99]])); // same instant again: kept once
      const rollups = await database.handle.db
        .selectFrom('analytics_rollups')
        .selectAll()
        .where('series', '=', 's')
        .orderBy('ts')
        .execute();
      assert.deepEqual(
        rollups.map((r) => [r.ts - T0, r.count, r.sum, r.min, r.max]),
        [
          [0, 5, 115, 1, 99],
          [MINUTE, 2, 30, 10, 20],
        ],
      );
      const raw = await store.read('s', T0, T0 + 2 * MINUTE, 15_000);
      assert.deepEqual(
        raw.map((p) => p.v),
        [1, 5, 3, 7, 10, 20],
      );
      const perMinute = await store.read('s', T0, T0 + 2 * MINUTE, MINUTE);
      assert.deepEqual(
        perMinute.map((p) => [p.t - T0, p.v]),
        [
          [0, 4],
          [MINUTE, 15],
        ],
      );
      assert.deepEqual(
        (await store.list()).map((s) => [s.series, s.minutes]),
        [
          ['other', 2],
          ['s', 2],
        ],
      );
    });

    it('reads roll-ups once raw samples are past retention, and prunes both by age', async (t) => {
      if (database.skip(t)) return;
      const now = T0 + 2 * 86_400_000;
      clock = now;
      await store.record(now - MINUTE, new Map([['s', 50]]));
      const pruned = await store.prune(now, 86_400_000, 30 * 86_400_000);
      assert.equal(pruned.samples, 12); // the 12 raw rows of the first test
      assert.equal(pruned.rollups, 0);
      // Raw no longer reaches back to T0: the read falls back to the roll-ups.
      const fromRollups = await store.read('s', T0, now, MINUTE);
      assert.deepEqual(
        fromRollups.map((p) => p.v),
        [23, 15, 50],
      );
      const later = await store.prune(now + 31 * 86_400_000, 86_400_000, 30 * 86_400_000);
      assert.ok(later.rollups >= 5);
      assert.deepEqual(await store.list(), []);
    });

    it('reads raw samples for a range of the raw retention computed from an earlier clock reading', async (t) => {
      if (database.skip(t)) return;
      // As a caller does: reads the clock, computes now − retention; the store looks later.
      const now = T0 + 40 * 86_400_000;
      clock = now;
      for (let i = 3; i >= 1; i--) await store.record(now - i * 1000, new Map([['skew', i]]));
      const from = now - 86_400_000;
      clock = now + 5; // a query later
      assert.deepEqual(
        (await store.read('skew', from, now, 1000)).map((p) => p.v),
        [3, 2, 1],
        'raw samples, not their one-minute roll-up',
      );
      assert.deepEqual(
        (await store.samples('skew', from, now)).map((p) => [p.t - now, p.v]),
        [
          [-3000, 3],
          [-2000, 2],
          [-1000, 1],
        ],
      );
    });

    it('stores anomalies and filters them by series, time and severity, newest first', async (t) => {
      if (database.skip(t)) return;
      const base = { value: 1, expected: 0.5, score: 0.999, kind: 'spike' };
      await store.recordAnomaly({ ...base, series: 'a', ts: T0, severity: 'high' });
      await store.recordAnomaly({ ...base, series: 'a', ts: T0 + 1000, severity: 'critical' });
      await store.recordAnomaly({ ...base, series: 'b', ts: T0 + 2000, severity: 'medium' });
      const all = await store.anomalies({ limit: 10 });
      assert.deepEqual(
        all.map((a) => a.series + a.severity),
        ['bmedium', 'acritical', 'ahigh'],
      );
      assert.equal(all[0]?.at, new Date(T0 + 2000).toISOString());
      assert.equal((await store.anomalies({ series: 'a', limit: 10 })).length, 2);
      assert.equal((await store.anomalies({ since: T0 + 500, limit: 10 })).length, 2);
      assert.equal((await store.anomalies({ severities: ['critical'], limit: 10 })).length, 1);
      assert.equal((await store.anomalies({ limit: 1 })).length, 1);
      assert.ok((await store.databaseSizeBytes()) > 0);
    });
  });
}
