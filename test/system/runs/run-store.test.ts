import { defineRunStoreSuite } from '../../support/run-store-suite.js';
import { postgresSchemaDatabase } from '../../support/postgres-schema.js';

defineRunStoreSuite('PostgreSQL', postgresSchemaDatabase());
