import pg from 'pg';
import { defineEncryptionSuite } from '../../support/encryption-suite.js';
import { postgresSchemaDatabase, postgresSchemaUrl } from '../../support/postgres-schema.js';
import { POSTGRES_URL, requireService } from '../../support/system.js';
import { startTestServer } from '../../support/test-server.js';

const open = postgresSchemaDatabase();

/** Every row of every table in the schema, as JSON text: what PostgreSQL stores. */
async function dump(): Promise<string> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      'select table_name from information_schema.tables where table_schema = $1',
      [open.schema],
    );
    const parts: string[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await client.query<{ row: string }>(
        `select row_to_json(t)::text as row from "${open.schema}"."${table_name}" t`,
      );
      parts.push(...rows.rows.map((r) => r.row));
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}

defineEncryptionSuite('PostgreSQL', {
  skip: () =>
    requireService('PostgreSQL', async () => {
      const client = new pg.Client({
        connectionString: POSTGRES_URL,
        connectionTimeoutMillis: 3000,
      });
      await client.connect();
      await client.end();
    }),
  start: (env) =>
    startTestServer({ DATABASE_URL: POSTGRES_URL, ...env }, undefined, {
      postgresSchema: open.schema,
    }),
  raw: dump,
  databaseUrl: postgresSchemaUrl(open),
});
