/**
 * Kysely's migrator looks for its bookkeeping tables in every schema unless told which; a
 * kysely_migration table in another schema (another deployment, or `public`) must not be taken
 * for this schema's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { migrateToLatest } from '../../../src/db/index.js';
import { postgresSchemaDatabase } from '../../support/postgres-schema.js';

const first = postgresSchemaDatabase();
const second = postgresSchemaDatabase();

describe('migrations on PostgreSQL schemas', () => {
  it('migrate a schema while another schema already has Kysely tables', async (t) => {
    const a = await first();
    if (typeof a === 'string') return t.skip(a);
    try {
      await migrateToLatest(a.db);
    } finally {
      await a.close();
    }
    const b = await second();
    if (typeof b === 'string') return t.skip(b);
    try {
      const applied = await migrateToLatest(b.db);
      assert.ok(applied.length > 0);
      const { rows } = await sql<{ n: string }>`select count(*) as n from kysely_migration`.execute(
        b.db,
      );
      assert.equal(Number(rows[0]?.n), applied.length);
    } finally {
      await b.close();
    }
  });
});
