import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/index.js';

/** Every row of every table, for "the database is unchanged" checks. */
export async function snapshot(db: Kysely<Database>): Promise<string> {
  const tables = ['prompt_cards', 'prompt_card_tags', 'test_cases', 'runs', 'run_results'] as const;
  const dump: Record<string, unknown[]> = {};
  for (const table of tables) {
    dump[table] = await db.selectFrom(table).selectAll().execute();
  }
  return JSON.stringify(dump);
}
