/**
 * Reading a page of a run's results in completion order ((created_at, id) ascending) with a
 * bounded amount of result text in memory, in few queries. A result can carry megabytes of
 * prompt and output, and most carry a few hundred bytes: each window of at most
 * `PLAN_ROWS` results is first planned from the byte sizes of its text columns (one query over
 * the index run_results_page and the rows' length headers, no text read), then read in chunks
 * of consecutive results whose text adds up to at most `chunkBytes` (a larger result is read
 * alone). A page of 500 small results is two queries; a page of 500 results of 5 MB each is one
 * result per query.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import {
  keyAfter,
  keyAtLeast,
  keyAtMost,
  type Database,
  type RunResultTable,
} from '../db/index.js';

/** The sort key of a result in its run's list: [created_at, id]. */
export type ResultKey = readonly (string | number)[];

/** Text bytes (as stored) read per query, by default: 4 MiB. */
export const RESULT_CHUNK_BYTES = 4 * 1024 * 1024;
/** Results planned per size query. */
const PLAN_ROWS = 500;
/** The columns that can hold a model's or a user's text of any length. */
const TEXT_COLUMNS = [
  'rendered_prompt',
  'output',
  'assertion_results',
  'error_message',
  'refusal',
  'reasoning',
] as const;
const KEY = ['created_at', 'id'];

/** A page's bounds: at most `limit` results, after `offset` of them or after the key `after`. */
export interface ResultPage {
  readonly limit: number;
  readonly offset?: number;
  readonly after?: ResultKey;
}

/**
 * Yields the stored rows of a page of `runId`'s results, one chunk in memory at a time, each
 * chunk's text at most `chunkBytes` bytes unless it is one result.
 */
export async function* resultRowPages(
  db: Kysely<Database>,
  runId: string,
  page: ResultPage,
  chunkBytes = RESULT_CHUNK_BYTES,
): AsyncGenerator<Selectable<RunResultTable>> {
  let read = 0;
  let after = page.after;
  let skip = page.offset ?? 0;
  while (read < page.limit) {
    const want = Math.min(PLAN_ROWS, page.limit - read);
    const planned = await sizesAfter(db, runId, after, want, skip);
    skip = 0;
    for (let i = 0; i < planned.length && read < page.limit;) {
      let bytes = planned[i]?.bytes ?? 0;
      let j = i + 1;
      for (; j < planned.length; j++) {
        const next = planned[j]?.bytes ?? 0;
        if (bytes + next > chunkBytes) break;
        bytes += next;
      }
      const start = planned[i];
      const end = planned[j - 1];
      if (start === undefined || end === undefined) return;
      // The range (after, end] (or [start, end] past an offset): the planned results, and any
      // written into it since.
      let query = db.selectFrom('run_results').selectAll().where('run_id', '=', runId);
      query = query.where(
        after === undefined
          ? keyAtLeast(KEY, [start.created_at, start.id])
          : keyAfter(KEY, after, 'asc'),
      );
      const rows = await query
        .where(keyAtMost(KEY, [end.created_at, end.id]))
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .limit(page.limit - read)
        .execute();
      for (const row of rows) {
        read++;
        yield row;
      }
      after = [end.created_at, end.id];
      i = j;
    }
    if (planned.length < want) return;
  }
}

/** Keys and text sizes (bytes as stored) of up to `limit` results after `after`, in order. */
async function sizesAfter(
  db: Kysely<Database>,
  runId: string,
  after: ResultKey | undefined,
  limit: number,
  offset: number,
): Promise<{ created_at: string; id: string; bytes: number }[]> {
  const size = sql.join(
    TEXT_COLUMNS.map((c) => sql`cast(coalesce(octet_length(${sql.ref(c)}), 0) as bigint)`),
    sql` + `,
  );
  let query = db
    .selectFrom('run_results')
    .select(['created_at', 'id', sql<number | string>`${size}`.as('bytes')])
    .where('run_id', '=', runId);
  if (after !== undefined) query = query.where(keyAfter(KEY, after, 'asc'));
  query = query.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(limit);
  const rows = await (offset > 0 ? query.offset(offset) : query).execute();
  return rows.map((r) => ({ created_at: r.created_at, id: r.id, bytes: Number(r.bytes) }));
}
