/**
 * The INSERT of a batch of run results, repeated on a fresh connection when its connection died
 * mid-statement (a terminated PostgreSQL backend). Safe to repeat: every row has its own id and
 * the insert skips items that already have a result (`ON CONFLICT DO NOTHING`), and adds to
 * the kept totals only what it inserted. A statement that died may still have been applied, so after a repeat the rows written are found by id:
 * the answer is the ids this batch stored, whichever attempt stored them. Inside a transaction
 * the error is passed on (the whole transaction is repeated, db/postgres-retry-transaction.ts).
 */
import type { Kysely } from 'kysely';
import { isConnectionLost, type Database, type RunResultTable } from '../db/index.js';

/** Repeats after the first attempt (the pool may hand out another dead connection first). */
const RETRIES = 3;

async function insertOnce(db: Kysely<Database>, rows: readonly RunResultTable[]) {
  const written = await db
    .insertInto('run_results')
    .values([...rows])
    .onConflict((oc) => oc.columns(['run_id', 'test_case_id', 'model', 'repetition']).doNothing())
    .returning('id')
    .execute();
  return new Set(written.map((r) => r.id));
}

/**
 * Inserts `rows` (sealed, storable), skipping items with a result; answers the ids stored.
 * `insert` is the statement (default: the rows alone; the run store passes PostgreSQL's
 * statement that also adds them to the kept totals, result-batch-statement.ts).
 */
export async function insertResults(
  db: Kysely<Database>,
  rows: readonly RunResultTable[],
  insert: typeof insertOnce = insertOnce,
): Promise<Set<string>> {
  for (let attempt = 0; ; attempt++) {
    try {
      const written = await insert(db, rows);
      if (attempt === 0) return written;
      const stored = await db
        .selectFrom('run_results')
        .select('id')
        .where(
          'id',
          'in',
          rows.map((row) => row.id),
        )
        .execute();
      return new Set(stored.map((r) => r.id));
    } catch (error) {
      if (db.isTransaction || attempt >= RETRIES || !isConnectionLost(error)) throw error;
    }
  }
}
