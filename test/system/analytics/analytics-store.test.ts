import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';
import { connectDatabase } from '../../../src/db/index.js';
import { defineAnalyticsStoreSuite } from '../../support/analytics-store-suite.js';
import { POSTGRES_URL, requireService } from '../../support/system.js';

// Its own schema, dropped at the end.
const schema = `pcs_test_${randomBytes(4).toString('hex')}`;

after(async () => {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
});

defineAnalyticsStoreSuite('PostgreSQL', async () => {
  const skip = await requireService('PostgreSQL', async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    await client.connect();
    await client.end();
  });
  return skip ?? connectDatabase(POSTGRES_URL, { postgresSchema: schema });
});
