/**
 * Where sampled series live: raw samples (kept `rawRetentionMs`), one-minute roll-ups (count,
 * sum, min, max; kept `rollupRetentionMs`) updated in the same transaction as each sample, and
 * detected anomalies. Works on SQLite and PostgreSQL alike (portable upserts).
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database, DatabaseKind } from '../db/index.js';
import type { Severity } from './anomaly-detector.js';

export interface Point {
  /** Epoch milliseconds (a bucket's start when aggregated). */
  readonly t: number;
  readonly v: number;
}

export interface StoredAnomaly {
  readonly id: string;
  readonly series: string;
  readonly at: string;
  readonly value: number;
  readonly expected: number;
  readonly score: number;
  readonly severity: Severity;
  readonly kind: string;
}

export interface SeriesSummary {
  readonly series: string;
  readonly first: string;
  readonly last: string;
  readonly minutes: number;
}

const MINUTE = 60_000;
/**
 * How much earlier than the store a caller may have read the clock: a range of exactly the raw
 * retention (`now − rawRetentionMs`, computed a few ms before read() looks) still reads raw
 * samples (at worst the first second of it was pruned), not one-minute roll-ups.
 */
const CLOCK_SLACK_MS = 1000;

export class AnalyticsStore {
  /** `rawRetentionMs`: how far back raw samples are kept, so reads know when to use roll-ups. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly kind: DatabaseKind,
    private readonly rawRetentionMs = 86_400_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one sample of every series at `at`, and folds it into the minute's roll-up. */
  async record(at: number, values: ReadonlyMap<string, number>): Promise<void> {
    const rows = [...values]
      .filter(([, v]) => Number.isFinite(v))
      .map(([series, value]) => ({ series, ts: at, value }));
    if (rows.length === 0) return;
    const minute = Math.floor(at / MINUTE) * MINUTE;
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('analytics_samples')
        .values(rows)
        .onConflict((oc) => oc.columns(['series', 'ts']).doNothing())
        .execute();
      await trx
        .insertInto('analytics_rollups')
        .values(
          rows.map((r) => ({
            series: r.series,
            ts: minute,
            count: 1,
            sum: r.value,
            min: r.value,
            max: r.value,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['series', 'ts']).doUpdateSet({
            count: sql<number>`analytics_rollups.count + excluded.count`,
            sum: sql<number>`analytics_rollups.sum + excluded.sum`,
            min: sql<number>`case when excluded.min < analytics_rollups.min then excluded.min else analytics_rollups.min end`,
            max: sql<number>`case when excluded.max > analytics_rollups.max then excluded.max else analytics_rollups.max end`,
          }),
        )
        .execute();
    });
  }

  /**
   * The raw samples of `series` in [from, to], oldest first, whatever the range (rows past the
   * raw retention that retention has not pruned yet are returned too). For a reader that needs
   * every sample, such as the detectors' replay at start-up (`read()` picks raw samples or
   * roll-ups by comparing `from` with its own clock).
   */
  async samples(series: string, from: number, to: number): Promise<Point[]> {
    const rows = await this.db
      .selectFrom('analytics_samples')
      .select(['ts', 'value'])
      .where('series', '=', series)
      .where('ts', '>=', from)
      .where('ts', '<=', to)
      .orderBy('ts')
      .execute();
    return rows.map((r) => ({ t: Number(r.ts), v: r.value }));
  }

  /**
   * Points of `series` in [from, to], averaged into buckets of `stepMs`: from raw samples when
   * the range lies within their retention at the store's clock (give or take a second of clock
   * readings), otherwise from the one-minute roll-ups.
   */
  async read(series: string, from: number, to: number, stepMs: number): Promise<Point[]> {
    const raw = from >= this.now() - this.rawRetentionMs - CLOCK_SLACK_MS;
    const rows = raw
      ? (
          await this.db
            .selectFrom('analytics_samples')
            .select(['ts', 'value'])
            .where('series', '=', series)
            .where('ts', '>=', from)
            .where('ts', '<=', to)
            .orderBy('ts')
            .execute()
        ).map((r) => ({ ts: r.ts, sum: r.value, count: 1 }))
      : await this.db
          .selectFrom('analytics_rollups')
          .select(['ts', 'sum', 'count'])
          .where('series', '=', series)
          .where('ts', '>=', Math.floor(from / MINUTE) * MINUTE)
          .where('ts', '<=', to)
          .orderBy('ts')
          .execute();
    const buckets = new Map<number, { sum: number; count: number }>();
    for (const row of rows) {
      const bucket = from + Math.floor((row.ts - from) / stepMs) * stepMs;
      const entry = buckets.get(bucket) ?? { sum: 0, count: 0 };
      entry.sum += row.sum;
      entry.count += row.count;
      buckets.set(bucket, entry);
    }
    return [...buckets].map(([t, b]) => ({ t, v: b.sum / b.count }));
  }

  /** Every series with a roll-up, and the time it spans. */
  async list(): Promise<SeriesSummary[]> {
    const rows = await this.db
      .selectFrom('analytics_rollups')
      .select((eb) => [
        'series',
        eb.fn.min('ts').as('first'),
        eb.fn.max('ts').as('last'),
        eb.fn.countAll<number>().as('minutes'),
      ])
      .groupBy('series')
      .orderBy('series')
      .execute();
    return rows.map((r) => ({
      series: r.series,
      first: new Date(Number(r.first)).toISOString(),
      last: new Date(Number(r.last)).toISOString(),
      minutes: Number(r.minutes),
    }));
  }

  /** Drops raw samples and roll-ups past their retention; returns how many rows went. */
  async prune(
    now: number,
    rawRetentionMs: number,
    rollupRetentionMs: number,
  ): Promise<{ samples: number; rollups: number }> {
    const samples = await this.db
      .deleteFrom('analytics_samples')
      .where('ts', '<', now - rawRetentionMs)
      .executeTakeFirst();
    const rollups = await this.db
      .deleteFrom('analytics_rollups')
      .where('ts', '<', now - rollupRetentionMs)
      .executeTakeFirst();
    await this.db
      .deleteFrom('analytics_anomalies')
      .where('ts', '<', now - rollupRetentionMs)
      .execute();
    return { samples: Number(samples.numDeletedRows), rollups: Number(rollups.numDeletedRows) };
  }

  async recordAnomaly(
    anomaly: Omit<StoredAnomaly, 'id' | 'at'> & { ts: number },
  ): Promise<StoredAnomaly> {
    const id = randomUUID();
    const { ts, ...rest } = anomaly;
    await this.db
      .insertInto('analytics_anomalies')
      .values({ id, ts, ...rest })
      .execute();
    return { id, at: new Date(ts).toISOString(), ...rest };
  }

  async anomalies(filter: {
    series?: string;
    since?: number;
    severities?: readonly Severity[];
    limit: number;
  }): Promise<StoredAnomaly[]> {
    let query = this.db
      .selectFrom('analytics_anomalies')
      .selectAll()
      .orderBy('ts', 'desc')
      .limit(filter.limit);
    if (filter.series !== undefined) query = query.where('series', '=', filter.series);
    if (filter.since !== undefined) query = query.where('ts', '>=', filter.since);
    if (filter.severities !== undefined) query = query.where('severity', 'in', filter.severities);
    const rows = await query.execute();
    return rows.map(({ ts, severity, ...row }) => ({
      ...row,
      at: new Date(ts).toISOString(),
      severity: severity as Severity,
    }));
  }

  /** Bytes the database takes: SQLite's pages, or PostgreSQL's pg_database_size. */
  async databaseSizeBytes(): Promise<number> {
    if (this.kind === 'postgres') {
      const { rows } = await sql<{
        size: string;
      }>`select pg_database_size(current_database())::text as size`.execute(this.db);
      return Number(rows[0]?.size ?? 0);
    }
    const { rows } = await sql<{
      size: number;
    }>`select page_count * page_size as size from pragma_page_count(), pragma_page_size()`.execute(
      this.db,
    );
    return Number(rows[0]?.size ?? 0);
  }
}
