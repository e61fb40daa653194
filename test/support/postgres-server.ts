/**
 * Starts the real server on the machine's PostgreSQL in a throw-away schema (dropped by
 * `dispose`). Gives a skip reason when PostgreSQL is missing (fails under REQUIRE_SYSTEM=1).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { POSTGRES_URL, requireService } from './system.js';
import { startTestServer, type TestServer } from './test-server.js';

export async function startPostgresTestServer(
  env: Record<string, string> = {},
): Promise<TestServer | string> {
  const skip = await requireService('PostgreSQL', async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    await client.connect();
    await client.end();
  });
  if (skip !== undefined) return skip;
  const schema = `pcs_test_${randomBytes(4).toString('hex')}`;
  const server = await startTestServer({ DATABASE_URL: POSTGRES_URL, ...env }, undefined, {
    postgresSchema: schema,
  });
  return {
    ...server,
    dispose: async () => {
      await server.dispose();
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client
        .connect()
        .then(() => client.query(`drop schema if exists ${schema} cascade`))
        .catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
