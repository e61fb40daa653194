import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';
import { connectDatabase } from '../../../src/db/index.js';
import { defineCardStoreSuite } from '../../support/card-store-suite.js';
import { POSTGRES_URL, requireService } from '../../support/system.js';

// Each run works in its own schema, dropped at the end, so runs never see each other's rows.
const schema = `pcs_test_${randomBytes(4).toString('hex')}`;

async function dropSchema(): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}

after(async () => {
  await dropSchema().catch(() => undefined);
});

defineCardStoreSuite('PostgreSQL', async () => {
  const skip = await requireService('PostgreSQL', async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    await client.connect();
    await client.end();
  });
  return skip ?? connectDatabase(POSTGRES_URL, { postgresSchema: schema });
});
