/**
 * A run's row and its kept totals in one read. On PostgreSQL one statement returns the row with
 * its totals, latency buckets and error counts as `json_agg` sub-selects (one round trip where
 * the row and then the three totals reads took two in sequence); on SQLite, in-process and
 * without round trips, the row and then `readTotals`. `readRun` answers undefined for an
 * unknown id; the tallies are as kept, so the caller repairs a run whose totals are not kept
 * (`totals_kept` ≠ 1) and reads them again.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Selectable } from 'kysely';
import type { Database, RunTable } from '../db/index.js';
import type { ModelTally } from './run-summary.js';
import { readTotals, talliesOf, type TotalsRow } from './run-totals.js';

type RunRow = Selectable<RunTable>;

interface RunWithTotals {
  readonly row: RunRow;
  readonly tallies: Map<string, ModelTally>;
}

type Bucket = { model: string; bucket: number; n: number };
type ErrorCount = { model: string; error_type: string; n: number };

/** The run `id` with its kept tallies by model, or undefined when there is no such run. */
export async function readRun(
  db: Kysely<Database>,
  id: string,
): Promise<RunWithTotals | undefined> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    const row = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : { row, tallies: await readTotals(db, id) };
  }
  const { rows } = await sql<
    RunRow & { kept_totals: TotalsRow[]; kept_buckets: Bucket[]; kept_errors: ErrorCount[] }
  >`
    select r.*,
      (select coalesce(json_agg(t), '[]') from run_model_totals t
        where t.run_id = r.id) as kept_totals,
      (select coalesce(json_agg(json_build_object('model', b.model, 'bucket', b.bucket, 'n', b.n)),
        '[]') from run_latency_buckets b where b.run_id = r.id) as kept_buckets,
      (select coalesce(json_agg(json_build_object('model', e.model, 'error_type', e.error_type,
        'n', e.n)), '[]') from run_error_counts e where e.run_id = r.id) as kept_errors
    from runs r where r.id = ${id}`.execute(db);
  const found = rows[0];
  if (found === undefined) return undefined;
  const { kept_totals, kept_buckets, kept_errors, ...row } = found;
  return { row, tallies: talliesOf(kept_totals, kept_buckets, kept_errors) };
}
