import pg from 'pg';
import { defineEncryptionSuite } from '../../support/encryption-suite.js';
import {
  dumpSchema,
  postgresSchemaDatabase,
  postgresSchemaUrl,
} from '../../support/postgres-schema.js';
import { POSTGRES_URL, requireService } from '../../support/system.js';
import { startTestServer } from '../../support/test-server.js';

const open = postgresSchemaDatabase();

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
  raw: () => dumpSchema(open.schema),
  databaseUrl: postgresSchemaUrl(open),
});
