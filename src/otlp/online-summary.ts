/**
 * A card's online verdicts counted per hour or day of span end time: the pass ratio over time
 * of the Production view. Counted in the database (`online_evaluations_card_page` index range of
 * the window), so the cost does not grow with the page size the client would otherwise read.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';

export type SummaryBucket = 'hour' | 'day';

export const BUCKET_MS: Readonly<Record<SummaryBucket, number>> = {
  hour: 3_600_000,
  day: 86_400_000,
};

/** One bucket's counts; `pass_ratio` = passed / (passed + failed), null with neither. */
export interface SummaryPoint {
  /** Bucket start, ISO 8601 UTC. */
  readonly start: string;
  readonly total: number;
  readonly pending: number;
  readonly passed: number;
  readonly failed: number;
  readonly not_judged: number;
  /** Verdicts with an assertion that could not be evaluated (e.g. the grader down). */
  readonly errors: number;
  readonly pass_ratio: number | null;
}

const sumWhen = (condition: ReturnType<typeof sql>) =>
  sql<number>`sum(case when ${condition} then 1 else 0 end)`;

/**
 * The `buckets` buckets of `bucket` size ending with the one holding `nowMs`, oldest first,
 * every bucket present (zero counts where no span ended).
 */
export async function summariseOnline(
  db: Kysely<Database>,
  cardId: string,
  options: { bucket: SummaryBucket; buckets: number; nowMs: number },
): Promise<{ since: string; until: string; items: SummaryPoint[] }> {
  const size = BUCKET_MS[options.bucket];
  const until = Math.floor(options.nowMs / size) * size + size;
  const since = until - options.buckets * size;
  const start = sql<number>`floor(span_ended_at / ${sql.lit(size)}) * ${sql.lit(size)}`;
  const done = sql`status = 'done'`;
  const rows = await db
    .selectFrom('online_evaluations')
    .where('prompt_card_id', '=', cardId)
    .where('span_ended_at', '>=', since)
    .where('span_ended_at', '<', until)
    .select([
      start.as('start'),
      (eb) => eb.fn.countAll<number>().as('total'),
      sumWhen(sql`status <> 'done'`).as('pending'),
      sumWhen(sql`${done} and error is null and judged = 1 and pass = 1`).as('passed'),
      sumWhen(sql`${done} and error is null and judged = 1 and pass = 0`).as('failed'),
      sumWhen(sql`${done} and error is null and judged = 0`).as('not_judged'),
      sumWhen(sql`${done} and error is not null`).as('errors'),
    ])
    .groupBy(start)
    .execute();
  const found = new Map(rows.map((row) => [Number(row.start), row]));
  const items: SummaryPoint[] = [];
  for (let at = since; at < until; at += size) {
    const row = found.get(at);
    const passed = Number(row?.passed ?? 0);
    const failed = Number(row?.failed ?? 0);
    items.push({
      start: new Date(at).toISOString(),
      total: Number(row?.total ?? 0),
      pending: Number(row?.pending ?? 0),
      passed,
      failed,
      not_judged: Number(row?.not_judged ?? 0),
      errors: Number(row?.errors ?? 0),
      pass_ratio: passed + failed === 0 ? null : passed / (passed + failed),
    });
  }
  return { since: new Date(since).toISOString(), until: new Date(until).toISOString(), items };
}
