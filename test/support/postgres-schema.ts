/**
 * A PostgreSQL database for one test file: its own schema (created by the migrations through
 * `postgresSchema`), dropped when the file ends, so runs never see each other's rows. Returns
 * the `open` function the store suites take; it gives a skip reason when PostgreSQL is missing
 * (and fails under REQUIRE_SYSTEM=1).
 */
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';
import { connectDatabase, type DatabaseHandle } from '../../src/db/index.js';
import { POSTGRES_URL, requireService } from './system.js';

export type SchemaOpener = (() => Promise<DatabaseHandle | string>) & { readonly schema: string };

export function postgresSchemaDatabase(): SchemaOpener {
  const schema = throwawaySchema();
  const open = async () => {
    const skip = await requirePostgres();
    return skip ?? connectDatabase(POSTGRES_URL, { postgresSchema: schema });
  };
  return Object.assign(open, { schema });
}

/** A schema name for this test file, dropped (with everything in it) when the file ends. */
export function throwawaySchema(): string {
  const schema = `pcs_test_${randomBytes(4).toString('hex')}`;
  after(async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client
      .connect()
      .then(() => client.query(`drop schema if exists ${schema} cascade`))
      .catch(() => undefined);
    await client.end().catch(() => undefined);
  });
  return schema;
}

/** A skip reason when PostgreSQL is not reachable (throws under REQUIRE_SYSTEM=1). */
export function requirePostgres(): Promise<string | undefined> {
  return requireService('PostgreSQL', async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    await client.connect();
    await client.end();
  });
}

/** A DATABASE_URL for child processes (commands) that selects the same schema. */
export function postgresSchemaUrl(opener: SchemaOpener): string {
  const separator = POSTGRES_URL.includes('?') ? '&' : '?';
  return `${POSTGRES_URL}${separator}options=${encodeURIComponent(`-c search_path=${opener.schema}`)}`;
}

/** Every row of every table in `schema`, as JSON text: what PostgreSQL stores. */
export async function dumpSchema(schema: string): Promise<string> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      'select table_name from information_schema.tables where table_schema = $1',
      [schema],
    );
    const parts: string[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await client.query<{ row: string }>(
        `select row_to_json(t)::text as row from "${schema}"."${table_name}" t`,
      );
      parts.push(...rows.rows.map((r) => r.row));
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}
