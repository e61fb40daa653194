/** The topology contract on one process: the API executes its runs (PostgreSQL, Redis). */
import { parseConfig } from '../../../src/config.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { throwawaySchema } from '../../support/postgres-schema.js';
import { POSTGRES_URL } from '../../support/system.js';
import { defineTopologyContract } from './contract.js';
import { httpDriver } from './drivers.js';
import { dumpSchema } from './pg-dump.js';

const schema = throwawaySchema();

defineTopologyContract('one process', {
  async start({ env, logger }) {
    const server: RunningServer = await startServer(
      parseConfig({ ...env, DATABASE_URL: POSTGRES_URL }),
      { logger, postgresSchema: schema },
    );
    return {
      driver: httpDriver(() => server.url),
      url: () => server.url,
      execute: () => Promise.resolve(),
      db: () => server.database.db,
      raw: () => dumpSchema(schema),
      close: () => server.close(),
    };
  },
});
