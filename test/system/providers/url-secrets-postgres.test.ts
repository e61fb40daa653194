import {
  dumpSchema,
  postgresSchemaDatabase,
  requirePostgres,
} from '../../support/postgres-schema.js';
import { POSTGRES_URL } from '../../support/system.js';
import { startTestServer } from '../../support/test-server.js';
import { defineUrlSecretSuite } from '../../support/url-secret-suite.js';

const open = postgresSchemaDatabase();

defineUrlSecretSuite('PostgreSQL', {
  skip: requirePostgres,
  start: (env, logger) =>
    startTestServer({ DATABASE_URL: POSTGRES_URL, ...env }, undefined, {
      postgresSchema: open.schema,
      logger,
    }),
  raw: () => dumpSchema(open.schema),
});
